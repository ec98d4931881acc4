import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { TestClient } from '../helpers/test-client.js';
import { silencePcm } from '../helpers/voice-audio.js';

describe('bad voice input gets contract errors and the connection stays', () => {
  let fake: FakeOpenAiServer;
  let viva: RunningViva;
  let noSpeech: RunningViva;

  before(async () => {
    fake = await FakeOpenAiServer.start();
    viva = await startInProcess({ STT_PROVIDER: 'openai', STT_BASE_URL: fake.baseUrl, TTS_PROVIDER: 'none' });
    noSpeech = await startInProcess({ TTS_PROVIDER: 'none' });
  });
  after(async () => {
    await viva?.stop();
    await noSpeech?.stop();
    await fake?.close();
  });

  async function stillAlive(client: TestClient): Promise<void> {
    client.send({ type: 'ping', id: 'alive' });
    await client.next('pong', (message) => message.reply_to === 'alive');
  }

  it('refuses audio_append, audio_commit and playback_truncate before voice_start', async () => {
    const { client } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
    for (const [id, message] of [
      ['a', { type: 'audio_append', data: { audio: silencePcm(20).toString('base64') } }],
      ['c', { type: 'audio_commit' }],
      ['p', { type: 'playback_truncate', data: { turn: 1, played_ms: 100 } }],
    ] as const) {
      client.send({ ...message, id });
      const error = await client.next('error', (candidate) => candidate.reply_to === id);
      assert.equal(error.data.code, 'INVALID_MESSAGE');
      assert.match(error.data.message, /voice_start/);
    }
    await stillAlive(client);
    client.close();
  });

  it('refuses odd byte counts, chunks above 256 KiB, bad base64 and sample rates out of range', async () => {
    const { client } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
    client.send({ type: 'voice_start', id: 'rate', data: { input: { sample_rate: 96000 } } });
    const rate = await client.next('error', (message) => message.reply_to === 'rate');
    assert.equal(rate.data.code, 'INVALID_MESSAGE');
    assert.equal(rate.data.details?.field, 'data.input.sample_rate');
    client.send({ type: 'voice_start', id: 'low', data: { input: { sample_rate: 4000 } } });
    assert.equal((await client.next('error', (message) => message.reply_to === 'low')).data.code, 'INVALID_MESSAGE');

    client.send({ type: 'voice_start', id: 'ok', data: { input: { sample_rate: 16000 }, output: null } });
    await client.next('voice_started');
    client.send({ type: 'audio_append', id: 'odd', data: { audio: Buffer.alloc(321).toString('base64') } });
    const odd = await client.next('error', (message) => message.reply_to === 'odd');
    assert.equal(odd.data.code, 'INVALID_MESSAGE');
    assert.equal(odd.data.details?.field, 'data.audio');
    client.send({ type: 'audio_append', id: 'big', data: { audio: Buffer.alloc(256 * 1024 + 2).toString('base64') } });
    const big = await client.next('error', (message) => message.reply_to === 'big');
    assert.equal(big.data.code, 'PAYLOAD_TOO_LARGE');
    client.send({ type: 'audio_append', id: 'b64', data: { audio: 'not base64!' } });
    assert.equal((await client.next('error', (message) => message.reply_to === 'b64')).data.code, 'INVALID_MESSAGE');
    client.send({ type: 'audio_commit', id: 'empty' });
    assert.equal((await client.next('error', (message) => message.reply_to === 'empty')).data.code, 'INVALID_MESSAGE');
    await stillAlive(client);
    client.close();
  });

  it('answers voice_start with STT_UNAVAILABLE when nothing can transcribe, and says so in connected', async () => {
    const { client, connected } = await TestClient.connect(`${noSpeech.wsUrl}/api/v1/ws`);
    assert.equal(connected.data.capabilities?.speech_input, false);
    assert.equal(connected.data.capabilities?.speech_output, false);
    client.send({ type: 'voice_start', id: 'v', data: {} });
    const error = await client.next('error', (message) => message.reply_to === 'v');
    assert.equal(error.data.code, 'STT_UNAVAILABLE');
    await stillAlive(client);
    client.close();
  });

  it('keeps ten minutes of silence bounded: no turn, no transcription, one nudge', async () => {
    const { client } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
    client.send({ type: 'voice_start', data: { input: { sample_rate: 8000 }, output: null } });
    await client.next('voice_started');
    const before = fake.transcriptionRequests.length;
    // 10 minutes at 8 kHz in 8 s chunks (128,000 bytes each), paced under the audio message limit
    const chunk = silencePcm(8_000, 8000).toString('base64');
    for (let index = 0; index < 75; index += 1) {
      client.send({ type: 'audio_append', data: { audio: chunk } });
      await new Promise((resolve) => setTimeout(resolve, 12));
    }
    await stillAlive(client);
    const nudge = client.messages.find((message) => message.type === 'status' && message.data.state === 'idle');
    assert.ok(nudge?.type === 'status');
    assert.match(nudge.data.detail ?? '', /No speech heard/);
    assert.equal(client.messages.filter((message) => message.type === 'status' && message.data.state === 'idle').length, 1, 'one nudge');
    assert.ok(!client.messages.some((message) => message.type === 'speech_started' || message.type === 'error'));
    assert.equal(fake.transcriptionRequests.length, before);
    client.send({ type: 'voice_stop', id: 'stop' });
    const stopped = await client.next('voice_stopped');
    assert.equal(stopped.reply_to, 'stop');
    client.close();
  });
});
