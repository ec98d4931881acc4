import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { makeSilence, makeSpeech, missingSpeechTools } from '../../test/helpers/speech-fixtures.js';
import { inspectAudioBytes, type DecodedAudio } from './audio-decoder.js';
import { readWavLayout } from './audio-formats.js';
import { isSilent, measureWavLevels } from './silence-detector.js';

const limits = { maxAudioBytes: 25 * 1024 * 1024 };
const sentence = 'I would start by measuring where the time goes.';

/** A WAV file around raw sample data, in the layout RIFF recorders write. */
function wavFile(samples: Buffer, options: { formatTag: number; bitsPerSample: number; sampleRate?: number; channels?: number }): Buffer {
  const channels = options.channels ?? 1;
  const sampleRate = options.sampleRate ?? 16000;
  const blockAlign = (options.bitsPerSample / 8) * channels;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(options.formatTag, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(options.bitsPerSample, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

function decodedWav(bytes: Buffer): DecodedAudio {
  return { bytes, format: 'wav', mime_type: 'audio/wav', file_name: 'audio.wav' };
}

describe('isSilent', () => {
  let skipReason: string | undefined;
  let speechWav: Buffer = Buffer.alloc(0);

  before(async () => {
    skipReason = await missingSpeechTools('wav');
    if (skipReason === undefined) speechWav = await makeSpeech(sentence, 'wav');
  });

  it('says speech is not silent and sox silence is', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    assert.equal(await isSilent(await inspectAudioBytes(speechWav, 'wav', limits)), false);
    assert.equal(await isSilent(await inspectAudioBytes(await makeSilence(2, 'wav'), 'wav', limits)), true);
  });

  it('treats quiet room noise as silence, and speech over it as speech', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const hiss = await makeSilence(3, 'wav', { noiseDbfs: -60 });
    assert.equal(await isSilent(decodedWav(hiss)), true);
    const levels = measureWavLevels(hiss);
    assert.ok(levels !== undefined && levels.peakDbfs > -62 && levels.peakDbfs < -57, `peak ${levels?.peakDbfs}`);
    // louder noise counts as sound: the threshold is not so high that quiet speech would be lost
    assert.equal(await isSilent(decodedWav(await makeSilence(1, 'wav', { noiseDbfs: -30 }))), false);
  });

  it('finds a short answer inside a long silent recording', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const speech = readWavLayout(speechWav);
    assert.ok(speech !== undefined);
    const samples = speechWav.subarray(speech.dataOffset, speech.dataOffset + speech.dataLength);
    const silence = Buffer.alloc(16000 * 2 * 30);
    const long = wavFile(Buffer.concat([silence, samples, silence]), { formatTag: 1, bitsPerSample: 16 });
    assert.equal(await isSilent(decodedWav(long)), false);
    const levels = measureWavLevels(long);
    assert.ok(levels !== undefined && levels.rmsDbfs < -30, 'the whole-clip RMS alone would call it silence');
  });

  it('ignores a single click', async () => {
    const samples = Buffer.alloc(16000 * 2);
    for (let index = 0; index < 80; index += 1) samples.writeInt16LE(index % 2 === 0 ? 30000 : -30000, 8000 * 2 + index * 2);
    assert.equal(await isSilent(decodedWav(wavFile(samples, { formatTag: 1, bitsPerSample: 16 }))), true);
  });

  it('reads 8-bit, 24-bit and float WAV as well as 16-bit', async () => {
    const frames = 16000;
    const tone = (index: number): number => 0.5 * Math.sin((2 * Math.PI * 440 * index) / 16000);
    const eightBit = Buffer.alloc(frames);
    const twentyFour = Buffer.alloc(frames * 3);
    const float = Buffer.alloc(frames * 4);
    for (let index = 0; index < frames; index += 1) {
      eightBit[index] = 128 + Math.round(tone(index) * 127);
      twentyFour.writeIntLE(Math.round(tone(index) * 8388607), index * 3, 3);
      float.writeFloatLE(tone(index), index * 4);
    }
    for (const [bytes, formatTag, bitsPerSample] of [
      [eightBit, 1, 8],
      [twentyFour, 1, 24],
      [float, 3, 32],
    ] as const) {
      const levels = measureWavLevels(wavFile(bytes, { formatTag, bitsPerSample }));
      assert.ok(levels !== undefined, `${bitsPerSample}-bit`);
      assert.ok(Math.abs(levels.peakDbfs - -6.02) < 0.2, `${bitsPerSample}-bit peak ${levels.peakDbfs}`);
      assert.ok(Math.abs(levels.rmsDbfs - -9.03) < 0.2, `${bitsPerSample}-bit rms ${levels.rmsDbfs}`);
      assert.equal(levels.durationMs, 1000);
    }
    // an 8-bit file of all 128s is silence, not a loud negative offset
    assert.equal(await isSilent(decodedWav(wavFile(Buffer.alloc(frames, 128), { formatTag: 1, bitsPerSample: 8 }))), true);
  });

  it('answers undefined where it cannot measure: compressed formats and A-law WAV', async (t) => {
    const alaw = wavFile(Buffer.alloc(16000, 0xd5), { formatTag: 6, bitsPerSample: 8 });
    assert.equal(await isSilent(decodedWav(alaw)), undefined);
    if (skipReason !== undefined) return t.skip(skipReason);
    const mp3 = await inspectAudioBytes(await makeSilence(1, 'mp3'), undefined, limits);
    assert.equal(mp3.format, 'mp3');
    assert.equal(await isSilent(mp3), undefined);
  });

  it('honours a custom threshold', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const decoded = decodedWav(speechWav);
    assert.equal(await isSilent(decoded, { soundLevelDbfs: 0 }), true);
    assert.equal(await isSilent(decoded, { minSoundMs: 60_000 }), true);
  });
});
