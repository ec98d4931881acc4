import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { makeSilence, makeSpeech, missingSpeechTools } from '../helpers/speech-fixtures.js';
import { TestClient } from '../helpers/test-client.js';

const SPOKEN = 'I split the monolith into three services and measured every step.';

describe('speech recognition through an OpenAI-compatible endpoint', () => {
  let fake: FakeOpenAiServer;
  let viva: RunningViva;
  let wavOnly: RunningViva;
  let skipReason: string | undefined;
  let speechWav: Buffer;

  before(async () => {
    skipReason = (await missingSpeechTools('wav')) ?? (await missingSpeechTools('webm'));
    fake = await FakeOpenAiServer.start();
    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN, durationS: 3.5 });
    const environment = { STT_PROVIDER: 'openai', STT_BASE_URL: fake.baseUrl, STT_MODEL: 'large-v3' };
    viva = await startInProcess(environment);
    wavOnly = await startInProcess({ ...environment, STT_FORMATS: 'wav' });
    if (skipReason === undefined) speechWav = await makeSpeech(SPOKEN, 'wav');
  });
  after(async () => {
    await viva?.stop();
    await wavOnly?.stop();
    await fake?.close();
  });

  async function connect(server: RunningViva = viva): Promise<TestClient> {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws`);
    return client;
  }

  function sendAudio(client: TestClient, id: string, audio: Buffer, format: string): void {
    client.send({ type: 'audio_input', id, data: { audio_data: audio.toString('base64'), audio_format: format } });
  }

  it('refuses a silent recording without sending it: STT_FAILED, not retryable', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const client = await connect();
    const before = fake.transcriptionRequests.length;
    sendAudio(client, 'quiet', await makeSilence(2, 'wav'), 'wav');
    const error = await client.next('error');
    assert.equal(error.data.code, 'STT_FAILED');
    assert.equal(error.data.retryable, false);
    assert.match(error.data.message, /No speech was heard/);
    assert.equal(fake.transcriptionRequests.length, before, 'the recognizer was never called');
    assert.ok(!client.messages.some((message) => message.type === 'transcription'));
    client.close();
  });

  it('refuses a known phantom transcript of a short clip it could not measure (webm)', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const client = await connect();
    fake.queueTranscription({ kind: 'transcript', text: 'Thanks for watching! Please subscribe.', durationS: 2 });
    sendAudio(client, 'phantom', await makeSilence(2, 'webm'), 'webm');
    const error = await client.next('error');
    assert.equal(error.data.code, 'STT_FAILED');
    assert.equal(error.data.retryable, false);
    assert.equal(fake.transcriptionRequests.at(-1)?.fileName, 'audio.webm');
    // a real "Thank you." that the recognizer is sure of is an answer, not a phantom
    fake.queueTranscription({ kind: 'transcript', text: 'Thank you.', durationS: 1, noSpeechProb: 0.02 });
    sendAudio(client, 'thanks', speechWav, 'wav');
    assert.equal((await client.next('transcription')).data.text, 'Thank you.');
    client.close();
  });

  it('answers STT_FAILED, retryable, when the service keeps failing, and takes the same input again', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const client = await connect();
    const before = fake.transcriptionRequests.length;
    fake.queueTranscription(...Array.from({ length: 3 }, () => ({ kind: 'error' as const, status: 500, message: 'GPU on fire' })));
    sendAudio(client, 'retry-me', speechWav, 'wav');
    const error = await client.next('error');
    assert.equal(error.data.code, 'STT_FAILED');
    assert.equal(error.data.retryable, true);
    assert.equal(error.reply_to, 'retry-me');
    assert.doesNotMatch(error.data.message, /GPU on fire/, 'upstream messages stay in the logs');
    assert.equal(fake.transcriptionRequests.length - before, 3, 'retried before giving up');

    // the client keeps the recording and sends it again with the same id: nothing was stored, so it runs
    sendAudio(client, 'retry-me', speechWav, 'wav');
    const transcription = await client.next('transcription');
    assert.equal(transcription.reply_to, 'retry-me');
    assert.equal(transcription.data.text, SPOKEN);
    assert.equal(transcription.data.duration_ms, 3500);
    const request = fake.transcriptionRequests.at(-1);
    assert.ok(request);
    assert.ok(request.bytes.equals(speechWav));
    assert.equal(request.fileName, 'audio.wav');
    assert.equal(request.fileContentType, 'audio/wav');
    assert.equal(request.model, 'large-v3');
    await client.next('ai_response', (message) => message.reply_to === 'retry-me');
    client.close();
  });

  it('falls back to json for a server that refuses verbose_json, and remembers it', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const server = await FakeOpenAiServer.start();
    server.verboseJsonSupported = false;
    server.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN });
    const local = await startInProcess({ STT_PROVIDER: 'openai', STT_BASE_URL: server.baseUrl });
    try {
      const client = await connect(local);
      sendAudio(client, 'one', speechWav, 'wav');
      assert.equal((await client.next('transcription')).data.text, SPOKEN);
      await client.next('ai_response');
      sendAudio(client, 'two', speechWav, 'wav');
      assert.equal((await client.next('transcription')).data.text, SPOKEN);
      assert.deepEqual(
        server.transcriptionRequests.map((request) => request.responseFormat),
        ['verbose_json', 'json', 'json'],
      );
      client.close();
    } finally {
      await local.stop();
      await server.close();
    }
  });

  it('names the formats an endpoint takes when a recording is in another', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const client = await connect(wavOnly);
    const before = fake.transcriptionRequests.length;
    sendAudio(client, 'webm', await makeSpeech(SPOKEN, 'webm'), 'webm');
    const error = await client.next('error');
    assert.equal(error.data.code, 'UNSUPPORTED_AUDIO_FORMAT');
    assert.match(error.data.message, /takes wav recordings, not webm/);
    assert.deepEqual(error.data.details, { audio_format: 'webm', accepted_formats: ['wav'] });
    assert.equal(fake.transcriptionRequests.length, before);

    // and when the endpoint itself cannot decode what it got, the client hears which format failed
    const other = await connect();
    fake.queueTranscription({ kind: 'error', status: 400, message: 'Invalid file format. Supported formats: flac, mp3, wav' });
    sendAudio(other, 'ogg', await makeSpeech(SPOKEN, 'webm'), 'webm');
    const refused = await other.next('error');
    assert.equal(refused.data.code, 'UNSUPPORTED_AUDIO_FORMAT');
    assert.match(refused.data.message, /could not read this webm recording/);
    client.close();
    other.close();
  });

  it('answers STT_FAILED, retryable, before the turn deadline when the service hangs', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const server = await FakeOpenAiServer.start();
    server.transcriptionHandler = () => ({ kind: 'hang' });
    const local = await startInProcess({ STT_PROVIDER: 'openai', STT_BASE_URL: server.baseUrl, STT_TIMEOUT_MS: '600' });
    try {
      const client = await connect(local);
      const started = performance.now();
      sendAudio(client, 'hung', speechWav, 'wav');
      const error = await client.next('error');
      assert.equal(error.data.code, 'STT_FAILED');
      assert.equal(error.data.retryable, true);
      assert.ok(performance.now() - started < 1_500);
      client.close();
    } finally {
      await local.stop();
      await server.close();
    }
  });
});
