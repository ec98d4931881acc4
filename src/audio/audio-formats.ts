import type { AudioFormat } from '@viva/protocol/client-messages.js';

/**
 * What Viva knows about each audio format of the contract (docs/protocol.md §3): the MIME type and file name we
 * hand to speech recognizers (transcription endpoints pick their decoder by the file name's extension),
 * how file-type's names map onto ours, and cheap structural checks that catch obviously broken uploads.
 * No I/O here.
 */
export const audioFormatDetails = {
  wav: { mimeType: 'audio/wav', fileName: 'audio.wav' },
  mp3: { mimeType: 'audio/mpeg', fileName: 'audio.mp3' },
  m4a: { mimeType: 'audio/mp4', fileName: 'audio.m4a' },
  mp4: { mimeType: 'audio/mp4', fileName: 'audio.mp4' },
  webm: { mimeType: 'audio/webm', fileName: 'audio.webm' },
  ogg: { mimeType: 'audio/ogg', fileName: 'audio.ogg' },
  flac: { mimeType: 'audio/flac', fileName: 'audio.flac' },
} as const satisfies Record<AudioFormat, { mimeType: string; fileName: string }>;

/**
 * file-type's `ext` for each container we accept. It names one container many ways: Ogg by its first
 * codec (`opus`, `oga`, `spx`, `ogx`...), Matroska by its DocType (`webm` or `mkv`), ISO-BMFF by its major
 * brand (`m4a` only for brand `M4A `; browsers and ffmpeg write `isom`/`iso5`/`mp42`, which it calls `mp4`).
 * Every ISO-BMFF name maps to `m4a` here; the decoder turns that into `mp4` where the client said mp4 or
 * the file carries video. A Map, not an object, so that names such as `constructor` never match.
 */
const formatsByDetectedType: ReadonlyMap<string, AudioFormat> = new Map<string, AudioFormat>([
  ['wav', 'wav'],
  // mp2/mp1 are the same MPEG audio frames (layer II/I); every decoder that reads .mp3 reads them
  ['mp3', 'mp3'],
  ['mp2', 'mp3'],
  ['mp1', 'mp3'],
  ['flac', 'flac'],
  ['ogg', 'ogg'],
  ['opus', 'ogg'],
  ['oga', 'ogg'],
  ['spx', 'ogg'],
  ['ogx', 'ogg'],
  ['ogv', 'ogg'],
  ['ogm', 'ogg'],
  ['webm', 'webm'],
  ['mkv', 'webm'],
  ['m4a', 'm4a'],
  ['mp4', 'm4a'],
  ['m4b', 'm4a'],
  ['m4v', 'm4a'],
  ['f4a', 'm4a'],
  ['f4b', 'm4a'],
  ['f4v', 'm4a'],
  ['mov', 'm4a'],
  ['3gp', 'm4a'],
  ['3g2', 'm4a'],
]);

/** Our format for a file-type `ext`, or undefined when it is no container we accept (png, aac, m4p...). */
export function formatForDetectedType(ext: string): AudioFormat | undefined {
  return formatsByDetectedType.get(ext);
}

const declaredAliases: ReadonlyMap<string, AudioFormat> = new Map<string, AudioFormat>([
  ['wav', 'wav'],
  ['wave', 'wav'],
  ['x-wav', 'wav'],
  ['vnd.wave', 'wav'],
  ['mp3', 'mp3'],
  ['mpeg', 'mp3'],
  ['mpga', 'mp3'],
  ['mpeg3', 'mp3'],
  ['x-mpeg', 'mp3'],
  ['m4a', 'm4a'],
  ['x-m4a', 'm4a'],
  ['mp4', 'mp4'],
  ['webm', 'webm'],
  ['ogg', 'ogg'],
  ['oga', 'ogg'],
  ['opus', 'ogg'],
  ['flac', 'flac'],
  ['x-flac', 'flac'],
]);

/**
 * Reads what a client said its audio is: a contract name (`webm`), a file extension (`.webm`) or a MIME
 * type (`audio/webm;codecs=opus`). Undefined when it names nothing we know; a declaration is only a hint,
 * since the bytes decide.
 */
export function normalizeDeclaredFormat(declared: string | undefined): AudioFormat | undefined {
  if (declared === undefined) return undefined;
  let name = declared.trim().toLowerCase();
  const parameters = name.indexOf(';');
  if (parameters !== -1) name = name.slice(0, parameters).trim();
  const slash = name.indexOf('/');
  if (slash !== -1) name = name.slice(slash + 1);
  if (name.startsWith('.')) name = name.slice(1);
  return declaredAliases.get(name);
}

/** Where the samples of a RIFF/WAVE file are and how they are encoded. */
export interface WavLayout {
  /** 1 PCM, 3 IEEE float; WAVE_FORMAT_EXTENSIBLE is resolved to its sub-format. */
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  dataOffset: number;
  /** Bytes of sample data actually present (the declared size, cut to what the buffer holds). */
  dataLength: number;
}

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Walks the RIFF chunks of a WAVE file for its `fmt ` and `data` chunks. Undefined when either is missing
 * or the format chunk is malformed.
 */
export function readWavLayout(bytes: Buffer): WavLayout | undefined {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') {
    return undefined;
  }
  let format: Omit<WavLayout, 'dataOffset' | 'dataLength'> | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) return undefined;
      let formatTag = bytes.readUInt16LE(body);
      // the extensible header keeps the real format tag in the first two bytes of its sub-format GUID
      if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= bytes.length) {
        formatTag = bytes.readUInt16LE(body + 24);
      }
      format = {
        formatTag,
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        blockAlign: bytes.readUInt16LE(body + 12),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (format === undefined) return undefined;
      // recorders that stream WAV write a placeholder size (0 or 0xFFFFFFFF) and never patch it; the samples
      // then simply run to the end of the file
      const declared = size === 0 || size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
      return { ...format, dataOffset: body, dataLength: Math.min(declared, bytes.length - body) };
    }
    // chunks are padded to an even length
    offset = body + size + (size % 2);
  }
  return undefined;
}

/** Duration of a WAV's samples in milliseconds, or undefined when its header makes no sense. */
export function wavDurationMs(layout: WavLayout): number | undefined {
  if (layout.sampleRate === 0 || layout.blockAlign === 0) return undefined;
  return Math.round((Math.floor(layout.dataLength / layout.blockAlign) / layout.sampleRate) * 1000);
}

/**
 * Says what is obviously broken about bytes whose container was recognized, or undefined when nothing is.
 * Only failures that no decoder could get speech out of count: a WAV without samples, an MP4 without its
 * `moov` index (cut off before the end), an MP3 whose first frame leads nowhere. Anything subtler is left to
 * the speech recognizer, so that unusual but valid files are never refused here.
 */
export function findContainerProblem(format: AudioFormat, bytes: Buffer): string | undefined {
  switch (format) {
    case 'wav': {
      const layout = readWavLayout(bytes);
      if (layout === undefined) return 'The WAV file has no format or data chunk; it may be cut off.';
      if (layout.channels === 0 || layout.sampleRate === 0 || layout.blockAlign === 0) {
        return 'The WAV file has an invalid format header.';
      }
      if (layout.dataLength < layout.blockAlign) return 'The WAV file contains no audio samples.';
      return undefined;
    }
    case 'm4a':
    case 'mp4':
      if (!hasIsoBmffBox(bytes, 'moov')) return 'The MP4/M4A file is incomplete (it has no moov index); it may be cut off.';
      return countIsoBmffBoxes(bytes, MAX_STRUCTURE_UNITS) > MAX_STRUCTURE_UNITS ? TOO_COMPLEX : undefined;
    case 'mp3':
      return mpegFramesLookValid(bytes) ? undefined : 'The MP3 data is not a valid sequence of MPEG audio frames.';
    case 'ogg':
      return countEmptyOggPages(bytes, MAX_EMPTY_UNITS) > MAX_EMPTY_UNITS ? TOO_COMPLEX : undefined;
    case 'flac':
      return countFlacMetadataBlocks(bytes, MAX_EMPTY_UNITS) > MAX_EMPTY_UNITS ? TOO_COMPLEX : undefined;
    default:
      return undefined;
  }
}

// A work budget on structure, counted in one linear pass before any parser runs: real recordings have a few
// dozen boxes in an MP4, no empty Ogg pages but the last, and a handful of FLAC metadata blocks, while the
// crafted files that stalled parsers are millions of empty units. Past the budget the file is refused at
// once, whatever the machine's speed (the pool's time budget is the backstop for what this does not see).
const MAX_STRUCTURE_UNITS = 20_000;
const MAX_EMPTY_UNITS = 1_000;
const TOO_COMPLEX = 'The audio file is too complex to inspect: its structure is unusual or damaged.';

/** Boxes of an ISO-BMFF file, counting into the containers that hold others; stops counting past `limit`. */
function countIsoBmffBoxes(bytes: Buffer, limit: number): number {
  const containers = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'udta', 'edts', 'dinf', 'mvex', 'moof', 'traf']);
  const ranges: [number, number][] = [[0, bytes.length]];
  let count = 0;
  for (let range = ranges.pop(); range !== undefined; range = ranges.pop()) {
    const end = range[1];
    let offset = range[0];
    while (offset + 8 <= end) {
      let size = bytes.readUInt32BE(offset);
      if (size === 1 && offset + 16 <= end) size = Number(bytes.readBigUInt64BE(offset + 8));
      else if (size === 0) size = end - offset;
      if (size < 8 || offset + size > end) break;
      count += 1;
      if (count > limit) return count;
      if (containers.has(bytes.toString('latin1', offset + 4, offset + 8))) ranges.push([offset + 8, offset + size]);
      offset += size;
    }
  }
  return count;
}

/** Ogg pages that carry no data; stops counting past `limit`. */
function countEmptyOggPages(bytes: Buffer, limit: number): number {
  let empty = 0;
  let offset = 0;
  while (offset + 27 <= bytes.length && bytes.toString('latin1', offset, offset + 4) === 'OggS') {
    const segments = bytes[offset + 26] ?? 0;
    if (offset + 27 + segments > bytes.length) break;
    let body = 0;
    for (let index = 0; index < segments; index += 1) body += bytes[offset + 27 + index] ?? 0;
    if (body === 0) {
      empty += 1;
      if (empty > limit) return empty;
    }
    offset += 27 + segments + body;
  }
  return empty;
}

/** FLAC metadata blocks before the audio frames; stops counting past `limit`. */
function countFlacMetadataBlocks(bytes: Buffer, limit: number): number {
  let count = 0;
  let offset = 4; // after "fLaC"
  while (offset + 4 <= bytes.length) {
    const header = bytes[offset] ?? 0;
    const length = bytes.readUIntBE(offset + 1, 3);
    count += 1;
    if (count > limit || (header & 0x80) !== 0) return count;
    offset += 4 + length;
  }
  return count;
}

/** Whether a complete top-level box of this type is present in an ISO-BMFF (MP4) file. */
function hasIsoBmffBox(bytes: Buffer, type: string): boolean {
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(offset);
    const boxType = bytes.toString('latin1', offset + 4, offset + 8);
    if (size === 1) {
      if (offset + 16 > bytes.length) return false;
      size = Number(bytes.readBigUInt64BE(offset + 8));
    } else if (size === 0) {
      // a box of size 0 runs to the end of the file
      size = bytes.length - offset;
    }
    if (size < 8 || offset + size > bytes.length) return false;
    if (boxType === type) return true;
    offset += size;
  }
  return false;
}

// kbit/s by [version 1 or 2][layer I, II, III][bitrate index]; MPEG 2.5 uses the version 2 rows
const mpegBitrates: readonly (readonly (readonly number[])[])[] = [
  [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
];
const mpegSampleRates: Readonly<Record<number, readonly number[]>> = {
  3: [44100, 48000, 32000], // MPEG 1
  2: [22050, 24000, 16000], // MPEG 2
  0: [11025, 12000, 8000], // MPEG 2.5
};

interface MpegFrameHeader {
  /** Version and layer bits, equal in every frame of one stream. */
  kind: number;
  sampleRate: number;
  /** Bytes, or undefined for free-format streams whose frame length is not in the header. */
  length: number | undefined;
}

function readMpegFrameHeader(bytes: Buffer, offset: number): MpegFrameHeader | undefined {
  if (offset + 4 > bytes.length) return undefined;
  const b1 = bytes[offset + 1] ?? 0;
  const b2 = bytes[offset + 2] ?? 0;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = (b1 >> 3) & 0x03;
  const layerBits = (b1 >> 1) & 0x03;
  const bitrateIndex = b2 >> 4;
  const sampleRate = mpegSampleRates[version]?.[(b2 >> 2) & 0x03];
  if (layerBits === 0 || bitrateIndex === 15 || sampleRate === undefined) return undefined;
  const layer = 4 - layerBits; // 1, 2 or 3
  const bitrate = (mpegBitrates[version === 3 ? 0 : 1]?.[layer - 1]?.[bitrateIndex] ?? 0) * 1000;
  const padding = (b2 >> 1) & 0x01;
  let length: number | undefined;
  if (bitrate > 0) {
    if (layer === 1) length = (Math.floor((12 * bitrate) / sampleRate) + padding) * 4;
    else if (layer === 3 && version !== 3) length = Math.floor((72 * bitrate) / sampleRate) + padding;
    else length = Math.floor((144 * bitrate) / sampleRate) + padding;
  }
  return { kind: b1 & 0x1e, sampleRate, length };
}

/**
 * file-type calls anything starting with an 11-bit frame sync MP3, which about one random blob in two
 * thousand does. A real stream has a valid first header and a second frame right where the first ends.
 * Files that start with an ID3 tag are trusted: file-type already checked the tag's structure.
 */
function mpegFramesLookValid(bytes: Buffer): boolean {
  if (bytes.toString('latin1', 0, 3) === 'ID3') return true;
  const first = readMpegFrameHeader(bytes, 0);
  if (first === undefined) return false;
  if (first.length === undefined) return true;
  // a stream of exactly one frame (or one frame plus a few stray bytes) has no second header to check
  if (first.length + 4 > bytes.length) return first.length <= bytes.length;
  const second = readMpegFrameHeader(bytes, first.length);
  return second !== undefined && second.kind === first.kind && second.sampleRate === first.sampleRate;
}
