import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { missingSpeechTools } from '../helpers/speech-fixtures.js';
import { TestClient } from '../helpers/test-client.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { silencePcm, speechPcm, streamAudio } from '../helpers/voice-audio.js';

const SPOKEN = 'I rewrote the scheduler so that jobs never run twice.';

describe('SIGKILL during a voice turn', () => {
  let fake: FakeOpenAiServer;
  let skipReason: string | undefined;
  const servers: VivaProcess[] = [];

  before(async () => {
    skipReason = await missingSpeechTools('wav');
    fake = await FakeOpenAiServer.start();
  });
  after(async () => {
    for (const server of servers) await server.kill();
    await fake?.close();
  });

  it('a turn killed after speech_stopped but before its transcript was stored leaves nothing half done; the next voice turn works', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const environment = { STT_PROVIDER: 'openai', STT_BASE_URL: fake.baseUrl, TTS_PROVIDER: 'openai', TTS_BASE_URL: fake.baseUrl };
    const first = await startViva(environment);
    servers.push(first);
    // the transcription is slow: the process dies while it runs
    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN, delayMs: 3_000 });
    const speech = await speechPcm(SPOKEN);
    const { client, connected } = await TestClient.connect(`${first.wsUrl}/api/v1/ws`);
    const sessionId = connected.data.session_id;
    client.send({ type: 'voice_start', data: {} });
    await client.next('voice_started');
    await streamAudio(client, Buffer.concat([speech, silencePcm(1000)]));
    await client.next('speech_stopped');
    await first.kill();
    await client.closed;

    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN });
    const second = await startViva({ ...environment, DATABASE_URL: first.databasePath });
    servers.push(second);
    const again = await TestClient.connect(`${second.wsUrl}/api/v1/ws/${sessionId}?resume_from=0`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // the contract's durable record is all or nothing: no transcription without its turn, nothing twice
    assert.ok(!again.client.messages.some((message) => message.type === 'ai_response'));
    again.client.send({ type: 'voice_start', data: {} });
    await again.client.next('voice_started');
    await streamAudio(again.client, Buffer.concat([speech, silencePcm(1000)]));
    const reply = await again.client.next('ai_response', () => true, 15_000);
    assert.equal(reply.data.turn, 1);
    const transcriptions = again.client.messages.filter((message) => message.type === 'transcription');
    assert.equal(transcriptions.length, 1, "one transcription: the new turn's");
    again.client.close();
  });
});
