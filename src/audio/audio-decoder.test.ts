import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it, mock } from 'node:test';
import { makeSpeech, missingSpeechTools, type SpeechOptions } from '../../test/helpers/speech-fixtures.js';
import type { AudioFormat } from '@viva/protocol/client-messages.js';
import type { ErrorCode } from '@viva/protocol/error-codes.js';
import { isVivaError } from '@viva/protocol/viva-error.js';
import { decodeAudioPayload, inspectAudioBytes } from './audio-decoder.js';

const limits = { maxAudioBytes: 25 * 1024 * 1024 };
const sentence = 'Hello, I led the migration of our billing system to Postgres last year.';

/** A 1x1 PNG. */
const pngBytes = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** Bytes that look random but are the same on every run, so a failure can be reproduced. */
function pseudoRandomBytes(length: number, seed: string): Buffer {
  const chunks: Buffer[] = [];
  let block = createHash('sha256').update(seed).digest();
  for (let total = 0; total < length; total += block.length) {
    chunks.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(chunks).subarray(0, length);
}

/** An ID3v2.3 tag with a title frame, as taggers and ffmpeg put in front of MP3 frames. */
function id3Tag(title: string): Buffer {
  const text = Buffer.concat([Buffer.from([0]), Buffer.from(title, 'latin1')]);
  const frameHeader = Buffer.alloc(10);
  frameHeader.write('TIT2', 0, 'latin1');
  frameHeader.writeUInt32BE(text.length, 4);
  const body = Buffer.concat([frameHeader, text]);
  const size = body.length; // below 128, so its sync-safe form is the plain byte
  return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, size]), body]);
}

async function expectVivaError(promise: Promise<unknown>, code: ErrorCode): Promise<Record<string, unknown> | undefined> {
  let details: Record<string, unknown> | undefined;
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isVivaError(error, code), `expected ${code}, got ${String(error)}`);
    assert.doesNotMatch(error.message, /Buffer|undefined|TypeError|at \w+ \(/, 'the message must not leak internals');
    details = error.details;
    return true;
  });
  return details;
}

describe('decoding real speech in every accepted format', () => {
  let skipReason: string | undefined;
  let wavDurationMs = 0;

  before(async () => {
    skipReason = await missingSpeechTools('webm');
    if (skipReason !== undefined) return;
    const wav = await inspectAudioBytes(await makeSpeech(sentence, 'wav'), undefined, limits);
    wavDurationMs = wav.duration_ms ?? 0;
  });

  const cases: { name: string; format: AudioFormat; options?: SpeechOptions; declared?: string; expected: AudioFormat; hasDuration: boolean }[] = [
    { name: 'wav', format: 'wav', expected: 'wav', hasDuration: true },
    { name: 'mp3 (bare MPEG frames)', format: 'mp3', expected: 'mp3', hasDuration: true },
    { name: 'flac', format: 'flac', expected: 'flac', hasDuration: true },
    { name: 'ogg (Vorbis)', format: 'ogg', expected: 'ogg', hasDuration: true },
    { name: 'ogg (Opus, which file-type calls opus)', format: 'ogg', options: { opus: true }, expected: 'ogg', hasDuration: true },
    { name: 'webm (Opus)', format: 'webm', expected: 'webm', hasDuration: true },
    // MediaRecorder cannot seek back to write the duration; such files must be accepted without one
    { name: 'webm written live, without a duration', format: 'webm', options: { streamed: true }, expected: 'webm', hasDuration: false },
    { name: 'm4a (brand M4A)', format: 'm4a', expected: 'm4a', hasDuration: true },
    { name: 'fragmented m4a', format: 'm4a', options: { streamed: true }, expected: 'm4a', hasDuration: true },
    { name: 'mp4 (brand isom, which file-type calls mp4) without a declaration', format: 'mp4', expected: 'm4a', hasDuration: true },
    { name: 'mp4 declared as mp4', format: 'mp4', declared: 'mp4', expected: 'mp4', hasDuration: true },
    { name: 'm4a declared as mp4', format: 'm4a', declared: 'mp4', expected: 'mp4', hasDuration: true },
  ];

  for (const testCase of cases) {
    it(`detects ${testCase.name}`, async (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      const bytes = await makeSpeech(sentence, testCase.format, testCase.options);
      const decoded = await inspectAudioBytes(bytes, testCase.declared, limits);
      assert.equal(decoded.format, testCase.expected);
      assert.equal(decoded.file_name, `audio.${testCase.expected}`);
      assert.match(decoded.mime_type, /^audio\//);
      assert.equal(decoded.bytes, bytes);
      if (testCase.hasDuration) {
        assert.ok(decoded.duration_ms !== undefined, 'expected a duration');
        // encoders add a little padding (MP3, AAC priming), never whole seconds
        assert.ok(Math.abs(decoded.duration_ms - wavDurationMs) < 250, `${decoded.duration_ms} ms vs ${wavDurationMs} ms of WAV`);
        assert.ok(wavDurationMs > 2000 && wavDurationMs < 10_000, `implausible speech length ${wavDurationMs} ms`);
      } else {
        assert.equal(decoded.duration_ms, undefined);
      }
    });
  }

  it('detects mp3 that starts with an ID3 tag', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const bytes = Buffer.concat([id3Tag('answer 1'), await makeSpeech(sentence, 'mp3')]);
    const decoded = await inspectAudioBytes(bytes, undefined, limits);
    assert.equal(decoded.format, 'mp3');
    assert.ok(decoded.duration_ms !== undefined && Math.abs(decoded.duration_ms - wavDurationMs) < 250);
  });

  it('calls an MP4 with a video track mp4 (a screen or camera recording)', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const directory = await mkdtemp(join(tmpdir(), 'viva-video-'));
    try {
      const path = join(directory, 'answer.mp4');
      const lavfi = ['-f', 'lavfi', '-i', 'color=c=black:s=64x64:d=2', '-f', 'lavfi', '-i', 'sine=d=2'];
      await promisify(execFile)('ffmpeg', ['-loglevel', 'error', '-nostdin', ...lavfi, '-c:v', 'mpeg4', '-c:a', 'aac', '-shortest', path]);
      const decoded = await inspectAudioBytes(await readFile(path), 'm4a', limits);
      assert.equal(decoded.format, 'mp4');
      assert.equal(decoded.file_name, 'audio.mp4');
      assert.ok(decoded.duration_ms !== undefined && Math.abs(decoded.duration_ms - 2000) < 100);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('lets the bytes overrule the declared format, keeping the declaration for logs', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const wav = await makeSpeech(sentence, 'wav');
    const decoded = await inspectAudioBytes(wav, 'mp3', limits);
    assert.equal(decoded.format, 'wav');
    assert.equal(decoded.file_name, 'audio.wav');
    assert.equal(decoded.declared_format, 'mp3');

    const webm = await makeSpeech(sentence, 'webm');
    const fromDataUrl = await decodeAudioPayload({ audio_data: `data:audio/ogg;base64,${webm.toString('base64')}` }, limits);
    assert.equal(fromDataUrl.format, 'webm');
    assert.equal(fromDataUrl.declared_format, 'audio/ogg');
  });

  it('decodes plain base64, base64url, wrapped base64 and data URLs with and without codecs', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const webm = await makeSpeech(sentence, 'webm', { streamed: true });
    const base64 = webm.toString('base64');
    const payloads = [
      base64,
      webm.toString('base64url'),
      base64.replace(/.{76}/g, '$&\r\n'),
      `data:audio/webm;base64,${base64}`,
      `data:audio/webm;codecs=opus;base64,${base64}`,
      `DATA:audio/webm; codecs="opus"; BASE64,${base64}`,
      `data:;base64,${base64}`,
    ];
    for (const audio_data of payloads) {
      const decoded = await decodeAudioPayload({ audio_data, audio_format: 'webm' }, limits);
      assert.equal(decoded.format, 'webm', audio_data.slice(0, 40));
      assert.ok(decoded.bytes.equals(webm), audio_data.slice(0, 40));
    }
    const withCodecs = await decodeAudioPayload({ audio_data: `data:audio/webm;codecs=opus;base64,${base64}` }, limits);
    assert.equal(withCodecs.declared_format, 'audio/webm');
  });

  it('rejects a WAV header without samples and an m4a cut before its index', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const wav = await makeSpeech(sentence, 'wav');
    await expectVivaError(inspectAudioBytes(wav.subarray(0, 44), 'wav', limits), 'AUDIO_DECODE_ERROR');
    await expectVivaError(inspectAudioBytes(wav.subarray(0, 30), 'wav', limits), 'AUDIO_DECODE_ERROR');
    // ffmpeg writes the moov index after the samples, so the first half has none
    const m4a = await makeSpeech(sentence, 'm4a');
    await expectVivaError(inspectAudioBytes(m4a.subarray(0, m4a.length >> 1), 'm4a', limits), 'AUDIO_DECODE_ERROR');
  });

  it('accepts a cut-off webm and a WAV cut mid-samples, leaving them to the recognizer', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const webm = await makeSpeech(sentence, 'webm', { streamed: true });
    assert.equal((await inspectAudioBytes(webm.subarray(0, webm.length >> 1), undefined, limits)).format, 'webm');
    const wav = await makeSpeech(sentence, 'wav');
    const half = await inspectAudioBytes(wav.subarray(0, wav.length >> 1), undefined, limits);
    assert.ok(half.duration_ms !== undefined && Math.abs(half.duration_ms - wavDurationMs / 2) < 50);
  });

  it('rejects audio above the limit after decoding, and accepts audio exactly at it', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const wav = await makeSpeech(sentence, 'wav');
    const details = await expectVivaError(inspectAudioBytes(wav, undefined, { maxAudioBytes: wav.length - 1 }), 'PAYLOAD_TOO_LARGE');
    assert.deepEqual(details, { max_bytes: wav.length - 1 });
    const exact = await decodeAudioPayload({ audio_data: wav.toString('base64') }, { maxAudioBytes: wav.length });
    assert.equal(exact.bytes.length, wav.length);
    await expectVivaError(decodeAudioPayload({ audio_data: wav.toString('base64') }, { maxAudioBytes: wav.length - 1 }), 'PAYLOAD_TOO_LARGE');
  });
});

describe('refusing what is not audio', () => {
  it('gives UNSUPPORTED_AUDIO_FORMAT for a PNG, naming what it is', async () => {
    const details = await expectVivaError(
      decodeAudioPayload({ audio_data: `data:audio/wav;base64,${pngBytes.toString('base64')}`, audio_format: 'wav' }, limits),
      'UNSUPPORTED_AUDIO_FORMAT',
    );
    assert.deepEqual(details, { detected_type: 'png', detected_mime: 'image/png' });
  });

  it('gives UNSUPPORTED_AUDIO_FORMAT for random bytes and for text', async () => {
    const random = pseudoRandomBytes(8192, 'viva');
    random[0] = 0x00; // never a frame sync
    await expectVivaError(inspectAudioBytes(random, 'webm', limits), 'UNSUPPORTED_AUDIO_FORMAT');
    await expectVivaError(inspectAudioBytes(Buffer.from('I led the migration.'), undefined, limits), 'UNSUPPORTED_AUDIO_FORMAT');
  });

  it('gives UNSUPPORTED_AUDIO_FORMAT for ADTS AAC, which has no accepted file name', async () => {
    // an ADTS header (MPEG-4 AAC LC, 16 kHz, mono) followed by filler
    const adts = Buffer.concat([Buffer.from([0xff, 0xf1, 0x60, 0x40, 0x01, 0x1f, 0xfc]), Buffer.alloc(1000)]);
    const details = await expectVivaError(inspectAudioBytes(adts, 'mp3', limits), 'UNSUPPORTED_AUDIO_FORMAT');
    assert.equal(details?.['detected_type'], 'aac');
  });

  it('gives AUDIO_DECODE_ERROR for a frame sync followed by garbage', async () => {
    // file-type calls anything starting with a frame sync mp3; the second frame is not where it should be
    const garbage = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x00]), pseudoRandomBytes(5000, 'mpeg').map((byte) => byte & 0x7f)]);
    await expectVivaError(inspectAudioBytes(garbage, 'mp3', limits), 'AUDIO_DECODE_ERROR');
  });
});

describe('base64 and data URL validation', () => {
  const invalid: [string, string][] = [
    ['an empty string', ''],
    ['whitespace', '  \r\n\t '],
    ['a data URL without payload', 'data:audio/webm;base64,'],
    ['a data URL with codecs but without payload', 'data:audio/webm;codecs=opus;base64,   '],
    ['a data URL without a comma', 'data:audio/webm;base64'],
    ['a data URL that is not base64', 'data:audio/wav,RIFF....WAVE'],
    ['characters outside the alphabet', 'UklGRi$kAAB'],
    ['a data URL with characters outside the alphabet', 'data:audio/wav;base64,UklG!RiQA'],
    ['non-ASCII characters', 'UklGRiQAAAB\u00e9'],
    ['padding in the middle', 'UklG=RiQA'],
    ['too much padding', 'UklGRg==='],
    ['padding that does not fill the last quantum', 'UklGR=='],
    ['an impossible length', 'UklGR'],
    ['mixed standard and URL-safe alphabets', 'ab+cd-ef'],
  ];
  for (const [name, audio_data] of invalid) {
    it(`gives AUDIO_DECODE_ERROR for ${name}`, async () => {
      await expectVivaError(decodeAudioPayload({ audio_data }, limits), 'AUDIO_DECODE_ERROR');
    });
  }

  it('refuses base64 whose length implies too many bytes, without decoding it', async () => {
    const maxAudioBytes = 1024 * 1024;
    const from = mock.method(Buffer, 'from');
    try {
      const huge = 'A'.repeat(8 * maxAudioBytes);
      const started = performance.now();
      const details = await expectVivaError(decodeAudioPayload({ audio_data: huge }, { maxAudioBytes }), 'PAYLOAD_TOO_LARGE');
      assert.deepEqual(details, { max_bytes: maxAudioBytes });
      // garbage after the point where the size is known is never looked at
      await expectVivaError(decodeAudioPayload({ audio_data: `data:audio/webm;base64,${huge}!!!` }, { maxAudioBytes }), 'PAYLOAD_TOO_LARGE');
      assert.ok(performance.now() - started < 1000);
      assert.equal(from.mock.callCount(), 0, 'Buffer.from must not run on oversized input');
    } finally {
      from.mock.restore();
    }
  });

  it('uses the exact size implied by the text, so one byte over the limit is refused', async () => {
    const bytes = Buffer.concat([pngBytes, Buffer.alloc(3)]);
    await expectVivaError(decodeAudioPayload({ audio_data: bytes.toString('base64') }, { maxAudioBytes: bytes.length - 1 }), 'PAYLOAD_TOO_LARGE');
    // at the limit the size check passes and the format check answers instead
    await expectVivaError(decodeAudioPayload({ audio_data: bytes.toString('base64') }, { maxAudioBytes: bytes.length }), 'UNSUPPORTED_AUDIO_FORMAT');
  });
});

