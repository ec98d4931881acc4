import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { missingSpeechTools } from '../helpers/speech-fixtures.js';
import { TestClient } from '../helpers/test-client.js';
import { replyAudio, silencePcm, speechPcm, streamAudio } from '../helpers/voice-audio.js';

/**
 * How fast the voice speaks: English words a minute (the voice is set to 165), or Chinese characters a
 * second (eSpeak's Mandarin says about four). The packaged eSpeak NG is newer than the distribution's
 * espeak-ng program, and their timings differ by up to a third, so the check is on the speaking rate.
 */
function speakingRate(text: string, milliseconds: number, language: 'en' | 'zh'): number {
  if (language === 'zh') return (text.match(/[\u3400-\u9fff]/g) ?? []).length / (milliseconds / 1000);
  return text.split(/\s+/).filter((word) => /\w/.test(word)).length / (milliseconds / 60_000);
}

/** Root mean square of PCM16 samples: speech is far above the zero of silence. */
function rms(pcm: Buffer): number {
  let sum = 0;
  for (let offset = 0; offset + 1 < pcm.length; offset += 2) sum += pcm.readInt16LE(offset) ** 2;
  return Math.sqrt(sum / Math.max(1, pcm.length / 2));
}

describe('the built-in offline voice (eSpeak NG in WebAssembly)', () => {
  let fake: FakeOpenAiServer;
  let viva: RunningViva;
  let skipReason: string | undefined;

  before(async () => {
    skipReason = await missingSpeechTools('wav');
    fake = await FakeOpenAiServer.start();
    fake.transcriptionHandler = () => ({ kind: 'transcript', text: 'I built the payment service and led its migration.' });
    // no TTS_PROVIDER: the default is the built-in voice
    viva = await startInProcess({ STT_PROVIDER: 'openai', STT_BASE_URL: fake.baseUrl });
  });
  after(async () => {
    await viva?.stop();
    await fake?.close();
  });

  for (const language of ['en', 'zh'] as const) {
    it(`speaks the interviewer's ${language} reply as 24 kHz PCM16 of the right length`, async (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      const { client, connected } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
      assert.equal(connected.data.capabilities?.speech_output, true);
      assert.ok(connected.data.capabilities?.voices.includes('cmn'));
      client.send({ type: 'connect', data: { interview: { language } } });
      await client.next('connected');
      client.send({ type: 'voice_start', data: {} });
      const started = await client.next('voice_started');
      const voice = language === 'zh' ? 'cmn' : 'en-us';
      assert.deepEqual(started.data.output, { voice, format: 'pcm16', sample_rate: 24000 });
      await streamAudio(client, Buffer.concat([await speechPcm('I built the payment service and led its migration.'), silencePcm(1000)]));
      const reply = await client.next('ai_response', () => true, 20_000);
      const done = await client.next('ai_audio_done', () => true, 20_000);
      const audio = replyAudio(client, reply.data.turn);
      const audioMs = (audio.length / 2 / 24000) * 1000;
      assert.ok(Math.abs(done.data.duration_ms - audioMs) < 50);
      assert.ok(rms(audio) > 500, 'the audio is speech, not silence');
      const sentences = client.messages.flatMap((message) => (message.type === 'ai_audio_delta' && message.data.text ? [message.data.text] : []));
      const rate = speakingRate(sentences.join(' '), audioMs, language);
      const [low, high] = language === 'zh' ? [2, 7] : [110, 230];
      assert.ok(rate >= low && rate <= high, `the voice said ${sentences.length} sentences in ${Math.round(audioMs)} ms: ${rate.toFixed(1)} ${language === 'zh' ? 'characters a second' : 'words a minute'}`);
      assert.ok(typeof reply.data.latency_ms.first_audio === 'number');
      client.close();
    });
  }
});
