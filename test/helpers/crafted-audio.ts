/**
 * Small, valid-looking audio files whose structure makes a parser do work out of all proportion to their
 * size (issue 10, item 2): an MP4 whose `moov` is a flood of 8-byte `free` boxes, an Ogg stream of empty
 * pages, a FLAC file of empty padding blocks. Each passes the magic-byte sniff and the cheap structural
 * checks, so only the full inspection (music-metadata) meets the flood.
 */

/** An `ftyp` + `moov` MP4 of about `totalBytes`, the `moov` holding nothing but empty `free` boxes. */
export function mp4FreeBoxFlood(totalBytes: number): Buffer {
  const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom'), u32be(512), Buffer.from('isomiso2mp41')]));
  const count = Math.max(1, Math.floor((totalBytes - ftyp.length - 8) / 8));
  const free = box('free', Buffer.alloc(0));
  const moov = box('moov', Buffer.concat(Array.from({ length: count }, () => free)));
  return Buffer.concat([ftyp, moov]);
}

/**
 * An Ogg stream of about `totalBytes`: a first page with an Opus identification header, then pages with no
 * segments, all of one logical stream.
 */
export function oggEmptyPageFlood(totalBytes: number): Buffer {
  const opusHead = Buffer.alloc(19);
  opusHead.write('OpusHead', 0, 'latin1');
  opusHead[8] = 1; // version
  opusHead[9] = 1; // channels
  opusHead.writeUInt16LE(312, 10); // pre-skip
  opusHead.writeUInt32LE(48000, 12); // input sample rate
  const pages: Buffer[] = [];
  const count = Math.max(2, Math.floor(totalBytes / 27));
  for (let sequence = 0; sequence < count; sequence += 1) {
    const body = sequence === 0 ? opusHead : Buffer.alloc(0);
    const page = Buffer.alloc(27 + (body.length > 0 ? 1 : 0));
    page.write('OggS', 0, 'latin1');
    page[4] = 0; // version
    page[5] = sequence === 0 ? 0x02 : 0x00; // beginning of stream on the first page
    page.writeBigInt64LE(0n, 6); // granule position
    page.writeUInt32LE(0x1234, 14); // serial number
    page.writeUInt32LE(sequence, 18);
    page.writeUInt32LE(0, 22); // checksum: parsers do not verify it
    if (body.length > 0) {
      page[26] = 1;
      page[27] = body.length;
    } else {
      page[26] = 0; // no segments
    }
    pages.push(page, body);
  }
  return Buffer.concat(pages);
}

/** A FLAC file of about `totalBytes`: the STREAMINFO block, then empty PADDING blocks, the last marked last. */
export function flacPaddingFlood(totalBytes: number): Buffer {
  const streamInfo = Buffer.alloc(34);
  streamInfo.writeUInt16BE(4096, 0); // min block size
  streamInfo.writeUInt16BE(4096, 2); // max block size
  // sample rate 16000 (20 bits), 1 channel (3 bits: 0), 16 bits per sample (5 bits: 15), 0 samples
  const packed = (16000n << 44n) | (0n << 41n) | (15n << 36n);
  streamInfo.writeBigUInt64BE(packed, 10);
  const parts: Buffer[] = [Buffer.from('fLaC', 'latin1'), blockHeader(0, false, 34), streamInfo];
  const count = Math.max(1, Math.floor((totalBytes - 42) / 4));
  for (let index = 0; index < count; index += 1) parts.push(blockHeader(1, index === count - 1, 0));
  return Buffer.concat(parts);
}

function blockHeader(type: number, last: boolean, length: number): Buffer {
  const header = Buffer.alloc(4);
  header[0] = (last ? 0x80 : 0) | type;
  header.writeUIntBE(length, 1, 3);
  return header;
}

function box(type: string, body: Buffer): Buffer {
  return Buffer.concat([u32be(8 + body.length), Buffer.from(type, 'latin1'), body]);
}

function u32be(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}
