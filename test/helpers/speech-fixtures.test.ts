import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileTypeFromBuffer } from 'file-type';
import { makeSilence, makeSpeech, missingSpeechTools } from './speech-fixtures.js';

describe('speech fixtures', () => {
  it('has the tools this machine needs (espeak-ng, sox, ffmpeg) or says which are missing', async (t) => {
    const reason = await missingSpeechTools('webm');
    if (reason !== undefined) {
      assert.match(reason, /apt-get install/);
      return t.skip(reason);
    }
  });

  it('makes each format once and serves it from the cache afterwards', async (t) => {
    const reason = await missingSpeechTools('mp3');
    if (reason !== undefined) return t.skip(reason);
    const text = `Caching check ${process.pid}`;
    const first = await makeSpeech(text, 'mp3');
    const started = performance.now();
    const second = await makeSpeech(text, 'mp3');
    assert.ok(performance.now() - started < 200, 'the second call should not run espeak-ng again');
    assert.ok(first.equals(second));
    assert.equal((await fileTypeFromBuffer(first))?.ext, 'mp3');
  });

  it('speaks other voices and languages, and text that looks like options', async (t) => {
    const reason = await missingSpeechTools('wav');
    if (reason !== undefined) return t.skip(reason);
    const english = await makeSpeech('--help me', 'wav');
    const mandarin = await makeSpeech('我负责了数据库迁移', 'wav', { voice: 'cmn' });
    assert.ok(english.length > 10_000);
    assert.ok(mandarin.length > 10_000);
    assert.ok(!english.equals(mandarin));
  });

  it('makes silence of the requested length', async (t) => {
    const reason = await missingSpeechTools('flac', 'silence');
    if (reason !== undefined) return t.skip(reason);
    const wav = await makeSilence(1.5, 'wav');
    // 16 kHz, 16-bit mono: 32,000 bytes a second after the 44-byte header
    assert.equal(wav.length, 44 + 48_000);
    assert.ok(wav.subarray(44).every((byte) => byte === 0));
    assert.equal((await fileTypeFromBuffer(await makeSilence(1.5, 'flac')))?.ext, 'flac');
  });
});
