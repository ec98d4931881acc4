import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerMessage } from '@viva/protocol/server-messages.js';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { interviewModel } from '../helpers/fake-interview-model.js';
import { missingSpeechTools } from '../helpers/speech-fixtures.js';
import { TestClient } from '../helpers/test-client.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { silencePcm, speechPcm, streamAudio } from '../helpers/voice-audio.js';

const SPOKEN = 'I rewrote the scheduler so that jobs never run twice.';
const SECOND = 'Then I added tracing to every queue.';

/** The durable record as a client resuming from 0 gets it: transcriptions and replies, in seq order. */
async function storedRecord(server: VivaProcess, sessionId: string): Promise<ServerMessage[]> {
  const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/${sessionId}?resume_from=0`);
  const connected = client.messages.find((message) => message.type === 'connected');
  const lastSeq = connected?.type === 'connected' ? connected.data.last_seq : 0;
  if (lastSeq > 0) await client.next('ai_response', (message) => message.seq === lastSeq).catch(() => undefined);
  client.close();
  return client.messages.filter((message) => message.type === 'transcription' || message.type === 'ai_response');
}

describe('SIGKILL during a voice turn', () => {
  let fake: FakeOpenAiServer;
  let skipReason: string | undefined;
  const servers: VivaProcess[] = [];
  const model = interviewModel();

  before(async () => {
    skipReason = await missingSpeechTools('wav');
    fake = await FakeOpenAiServer.start();
  });
  after(async () => {
    for (const server of servers) await server.kill();
    await fake?.close();
  });

  async function speakOneTurn(server: VivaProcess): Promise<{ client: TestClient; sessionId: string }> {
    const speech = await speechPcm(SPOKEN);
    const { client, connected } = await TestClient.connect(`${server.wsUrl}/api/v1/ws`);
    client.send({ type: 'voice_start', data: {} });
    await client.next('voice_started');
    await streamAudio(client, Buffer.concat([speech, silencePcm(1000)]));
    await client.next('speech_stopped');
    return { client, sessionId: connected.data.session_id };
  }

  it('a turn killed after speech_stopped, while it was transcribed, is transcribed and answered once after the restart', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    fake.chatHandler = model;
    const first = await startViva(fake.providerEnvironment);
    servers.push(first);
    // the transcription is slow: the process dies while it runs
    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN, delayMs: 5_000 });
    const { client, sessionId } = await speakOneTurn(first);
    await first.kill();
    await client.closed;
    assert.ok(!client.messages.some((message) => message.type === 'transcription'), 'killed before the transcript was stored');

    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN });
    const second = await startViva({ ...fake.providerEnvironment, DATABASE_URL: first.databasePath });
    servers.push(second);
    const again = await TestClient.connect(`${second.wsUrl}/api/v1/ws/${sessionId}?resume_from=0`);
    const transcription = await again.client.next('transcription', () => true, 15_000);
    assert.equal(transcription.data.text, SPOKEN);
    const reply = await again.client.next('ai_response', () => true, 15_000);
    assert.equal(reply.data.turn, 1);
    assert.ok((reply.seq ?? 0) > (transcription.seq ?? Infinity), 'the transcription comes before its reply');

    // the candidate's voice comes back on: the reply nobody heard is spoken, then the next voice turn follows
    // it, and the record holds each of them once
    again.client.send({ type: 'voice_start', data: {} });
    await again.client.next('voice_started');
    const spoken = await again.client.next('ai_audio_delta', (message) => message.data.turn === 1, 15_000);
    assert.equal(spoken.data.text, reply.data.ai_response.split(/(?<=[.?!])\s/)[0], 'its first sentence is spoken first');
    await again.client.next('ai_audio_done', (message) => message.data.turn === 1, 15_000);
    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SECOND });
    await streamAudio(again.client, Buffer.concat([await speechPcm(SECOND), silencePcm(1000)]));
    const next = await again.client.next('ai_response', () => true, 15_000);
    assert.equal(next.data.turn, 2);
    again.client.close();

    const record = await storedRecord(second, sessionId);
    assert.deepEqual(
      record.map((message) => (message.type === 'transcription' ? `transcription: ${message.data.text}` : `reply ${message.type === 'ai_response' ? message.data.turn : ''}`)),
      [`transcription: ${SPOKEN}`, 'reply 1', `transcription: ${SECOND}`, 'reply 2'],
    );
  });

  it('a turn killed after its transcript was stored, while the reply was written, is answered once and not transcribed again', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    // the interviewer is slow: the process dies after the transcription is stored, before the reply
    fake.chatHandler = (request) => {
      const script = model(request);
      return script.kind === 'reply' && request.body.stream === true ? { ...script, firstChunkDelayMs: 5_000 } : script;
    };
    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN });
    const first = await startViva(fake.providerEnvironment);
    servers.push(first);
    const { client, sessionId } = await speakOneTurn(first);
    const stored = await client.next('transcription', () => true, 15_000);
    await client.next('status', (message) => message.data.state === 'thinking');
    const transcribed = fake.transcriptionRequests.length;
    await first.kill();
    await client.closed;
    assert.ok(!client.messages.some((message) => message.type === 'ai_response'), 'killed before the reply was stored');

    fake.chatHandler = model;
    const second = await startViva({ ...fake.providerEnvironment, DATABASE_URL: first.databasePath });
    servers.push(second);
    const again = await TestClient.connect(`${second.wsUrl}/api/v1/ws/${sessionId}?resume_from=${stored.seq}`);
    const reply = await again.client.next('ai_response', () => true, 15_000);
    assert.equal(reply.data.turn, 1);
    again.client.close();

    assert.equal(fake.transcriptionRequests.length, transcribed, 'the stored transcript is used; the recognizer is not asked again');
    const record = await storedRecord(second, sessionId);
    assert.deepEqual(
      record.map((message) => message.type),
      ['transcription', 'ai_response'],
      'one transcription and one reply',
    );
  });
});
