import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audioFormatSchema } from '@viva/protocol/client-messages.js';
import {
  audioFormatDetails,
  findContainerProblem,
  formatForDetectedType,
  normalizeDeclaredFormat,
  readWavLayout,
  wavDurationMs,
} from './audio-formats.js';

/** A 16-bit mono WAV header declaring `dataSize` bytes of samples, followed by `actual` zero bytes. */
function wavHeader(dataSize: number, actual: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + actual, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataSize, 40);
  return Buffer.concat([header, Buffer.alloc(actual)]);
}

describe('audio format tables', () => {
  it('has a MIME type and a matching file name for every contract format', () => {
    for (const format of audioFormatSchema.options) {
      const details = audioFormatDetails[format];
      assert.match(details.mimeType, /^audio\//);
      assert.equal(details.fileName, `audio.${format}`);
    }
  });

  it('maps every name file-type gives a container onto one contract format', () => {
    assert.equal(formatForDetectedType('opus'), 'ogg');
    assert.equal(formatForDetectedType('oga'), 'ogg');
    assert.equal(formatForDetectedType('mkv'), 'webm');
    assert.equal(formatForDetectedType('mp4'), 'm4a');
    assert.equal(formatForDetectedType('mp2'), 'mp3');
    assert.equal(formatForDetectedType('aac'), undefined);
    assert.equal(formatForDetectedType('png'), undefined);
    assert.equal(formatForDetectedType('constructor'), undefined);
  });

  it('reads declarations given as names, extensions or MIME types', () => {
    assert.equal(normalizeDeclaredFormat('webm'), 'webm');
    assert.equal(normalizeDeclaredFormat(' WEBM '), 'webm');
    assert.equal(normalizeDeclaredFormat('.m4a'), 'm4a');
    assert.equal(normalizeDeclaredFormat('audio/webm;codecs=opus'), 'webm');
    assert.equal(normalizeDeclaredFormat('audio/x-wav'), 'wav');
    assert.equal(normalizeDeclaredFormat('audio/mpeg'), 'mp3');
    assert.equal(normalizeDeclaredFormat('video/mp4'), 'mp4');
    assert.equal(normalizeDeclaredFormat('audio/ogg; codecs=opus'), 'ogg');
    assert.equal(normalizeDeclaredFormat('aiff'), undefined);
    assert.equal(normalizeDeclaredFormat(''), undefined);
    assert.equal(normalizeDeclaredFormat(undefined), undefined);
  });
});

describe('readWavLayout', () => {
  it('finds the samples and the duration', () => {
    const layout = readWavLayout(wavHeader(32000, 32000));
    assert.ok(layout !== undefined);
    assert.equal(layout.dataOffset, 44);
    assert.equal(layout.dataLength, 32000);
    assert.equal(wavDurationMs(layout), 1000);
  });

  it('reads a streamed WAV whose sizes were never filled in up to the end of the bytes', () => {
    for (const placeholder of [0xffffffff, 0]) {
      const layout = readWavLayout(wavHeader(placeholder, 16000));
      assert.ok(layout !== undefined);
      assert.equal(wavDurationMs(layout), 500);
    }
  });

  it('skips chunks before the samples, padded to an even length', () => {
    const plain = wavHeader(3200, 3200);
    const list = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0', 'latin1')]);
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
    const layout = readWavLayout(withList);
    assert.ok(layout !== undefined);
    assert.equal(layout.dataOffset, 44 + list.length);
    assert.equal(wavDurationMs(layout), 100);
  });

  it('finds problems in WAV files that hold no audio', () => {
    assert.equal(findContainerProblem('wav', wavHeader(32000, 32000)), undefined);
    assert.match(findContainerProblem('wav', wavHeader(0, 0)) ?? '', /no audio samples/);
    assert.match(findContainerProblem('wav', wavHeader(32000, 0).subarray(0, 36)) ?? '', /no format or data chunk/);
  });
});

describe('findContainerProblem for MPEG audio and MP4', () => {
  it('accepts consecutive MPEG frames and refuses a lone frame sync', () => {
    // MPEG 1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames
    const header = Buffer.from([0xff, 0xfb, 0x90, 0x00]);
    const frame = Buffer.concat([header, Buffer.alloc(413)]);
    assert.equal(findContainerProblem('mp3', Buffer.concat([frame, frame, frame])), undefined);
    assert.equal(findContainerProblem('mp3', frame), undefined);
    assert.match(findContainerProblem('mp3', Buffer.concat([frame, Buffer.alloc(417)])) ?? '', /not a valid sequence/);
    // a reserved sample-rate index is no frame header at all
    assert.ok(findContainerProblem('mp3', Buffer.from([0xff, 0xfb, 0x9c, 0x00, 0, 0, 0, 0])) !== undefined);
  });

  it('requires a complete moov box in MP4', () => {
    const box = (type: string, body: Buffer): Buffer => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(8 + body.length, 0);
      head.write(type, 4, 'latin1');
      return Buffer.concat([head, body]);
    };
    const ftyp = box('ftyp', Buffer.from('M4A \0\0\0\0M4A isom', 'latin1'));
    const moov = box('moov', Buffer.alloc(100));
    const mdat = box('mdat', Buffer.alloc(1000));
    assert.equal(findContainerProblem('m4a', Buffer.concat([ftyp, moov, mdat])), undefined);
    assert.equal(findContainerProblem('mp4', Buffer.concat([ftyp, mdat, moov])), undefined);
    assert.match(findContainerProblem('m4a', Buffer.concat([ftyp, mdat])) ?? '', /no moov/);
    assert.match(findContainerProblem('m4a', Buffer.concat([ftyp, mdat, moov]).subarray(0, 1100)) ?? '', /no moov/);
  });
});

describe('structural work budget', () => {
  it('refuses floods of empty units at once, before any parser runs', async () => {
    const { flacPaddingFlood, mp4FreeBoxFlood, oggEmptyPageFlood } = await import('../../test/helpers/crafted-audio.js');
    for (const [format, bytes] of [
      ['mp4', mp4FreeBoxFlood(512 * 1024)],
      ['ogg', oggEmptyPageFlood(512 * 1024)],
      ['flac', flacPaddingFlood(512 * 1024)],
    ] as const) {
      const started = performance.now();
      assert.match(findContainerProblem(format, bytes) ?? '', /too complex/, format);
      assert.ok(performance.now() - started < 200, `${format}: counted in ${performance.now() - started} ms`);
    }
  });
});
