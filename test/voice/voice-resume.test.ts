import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { interviewModel, replyFor } from '../helpers/fake-interview-model.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { missingSpeechTools } from '../helpers/speech-fixtures.js';
import { TestClient } from '../helpers/test-client.js';
import { silencePcm, speechPcm, streamAudio } from '../helpers/voice-audio.js';

const SPOKEN = 'We cut the p99 latency in half by batching writes.';

describe('voice turns across dropped connections, push-to-talk, and a failing voice', () => {
  let fake: FakeOpenAiServer;
  let viva: RunningViva;
  let skipReason: string | undefined;
  let speech: Buffer;

  before(async () => {
    skipReason = await missingSpeechTools('wav');
    fake = await FakeOpenAiServer.start();
    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN, durationS: 3 });
    // replies stream slowly, so a test can drop the connection in the middle of one
    fake.chatHandler = interviewModel({ interviewer: (request) => ({ kind: 'reply', text: replyFor(request), chunkDelayMs: 40 }) });
    viva = await startInProcess(fake.providerEnvironment);
    if (skipReason === undefined) speech = await speechPcm(SPOKEN);
  });
  after(async () => {
    await viva?.stop();
    await fake?.close();
  });

  async function voiceClient(sessionId?: string, query = ''): Promise<{ client: TestClient; sessionId: string; lastSeq: number }> {
    const { client, connected } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws${sessionId ? `/${sessionId}` : ''}${query}`);
    return { client, sessionId: connected.data.session_id, lastSeq: connected.data.last_seq };
  }

  it('a connection dropped mid-utterance loses only the uncommitted audio; the next utterance works', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const first = await voiceClient();
    first.client.send({ type: 'voice_start', data: {} });
    await first.client.next('voice_started');
    await streamAudio(first.client, speech.subarray(0, Math.floor(speech.length / 4) * 2));
    await first.client.next('speech_started');
    first.client.close();
    await first.client.closed;

    const second = await voiceClient(first.sessionId, '?resume_from=0');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // at most an interim transcript was asked for; no turn was made of the dropped audio
    assert.ok(!first.client.messages.some((message) => message.type === 'speech_stopped'));
    assert.ok(!second.client.messages.some((message) => message.type === 'transcription' || message.type === 'ai_response'), 'nothing was stored');
    second.client.send({ type: 'voice_start', data: {} });
    await second.client.next('voice_started');
    await streamAudio(second.client, Buffer.concat([speech, silencePcm(1000)]));
    const transcription = await second.client.next('transcription');
    assert.equal(transcription.data.text, SPOKEN);
    await second.client.next('ai_response');
    second.client.close();
  });

  it('a connection dropped mid-reply gets the stored reply on resume, exactly once', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const first = await voiceClient();
    first.client.send({ type: 'voice_start', data: {} });
    await first.client.next('voice_started');
    await streamAudio(first.client, Buffer.concat([speech, silencePcm(1000)]));
    await first.client.next('speech_stopped');
    const delta = await first.client.next('ai_response_delta', () => true, 15_000);
    first.client.close();
    await first.client.closed;

    const second = await voiceClient(first.sessionId, '?resume_from=0');
    const reply = await second.client.next('ai_response', (message) => message.data.turn === delta.data.turn, 15_000);
    assert.ok(reply.data.ai_response.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replies = [...first.client.messages, ...second.client.messages].filter(
      (message) => message.type === 'ai_response' && message.data.turn === delta.data.turn,
    );
    assert.equal(replies.length, 1, 'the reply was delivered exactly once');
    assert.equal(second.client.messages.filter((message) => message.type === 'transcription').length, 1);
    second.client.close();
  });

  it('push-to-talk: no end of turn until audio_commit; interim text while speaking', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const { client } = await voiceClient();
    client.send({ type: 'voice_start', data: { input: { sample_rate: 16000, turn_detection: null }, output: null } });
    const started = await client.next('voice_started');
    assert.equal(started.data.input?.turn_detection, null);
    assert.equal(started.data.output, null);
    await streamAudio(client, Buffer.concat([speech, silencePcm(2500)]));
    const interim = await client.next('transcription_delta');
    assert.equal(interim.data.final, false);
    assert.equal(interim.data.text, SPOKEN);
    assert.ok(!client.messages.some((message) => message.type === 'speech_stopped' || message.type === 'speech_started'));
    client.send({ type: 'audio_commit' });
    await client.next('speech_stopped');
    const transcription = await client.next('transcription');
    assert.equal(transcription.data.text, SPOKEN);
    await client.next('ai_response');
    assert.ok(!client.messages.some((message) => message.type === 'ai_audio_delta'), 'output: null is text only');
    client.close();
  });

  it('a failing voice sends TTS_FAILED and the reply text still arrives', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const { client } = await voiceClient();
    client.send({ type: 'voice_start', data: {} });
    await client.next('voice_started');
    fake.speechHandler = () => ({ kind: 'error', status: 500, message: 'voice down' });
    try {
      await streamAudio(client, Buffer.concat([speech, silencePcm(1000)]));
      const error = await client.next('error', () => true, 15_000);
      assert.equal(error.data.code, 'TTS_FAILED');
      const reply = await client.next('ai_response', () => true, 15_000);
      assert.ok(reply.data.ai_response.length > 0);
      assert.equal(reply.data.latency_ms.first_audio, undefined);
      assert.ok(!client.messages.some((message) => message.type === 'ai_audio_delta'));
    } finally {
      fake.speechHandler = () => ({ kind: 'audio' });
    }
    client.close();
  });
});
