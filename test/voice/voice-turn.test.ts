import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAKE_SPEECH_MS_PER_CHARACTER, FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { missingSpeechTools } from '../helpers/speech-fixtures.js';
import { TestClient } from '../helpers/test-client.js';
import { replyAudio, silencePcm, speechPcm, streamAudio } from '../helpers/voice-audio.js';

const SPOKEN = 'I moved our billing service to Postgres and measured every step.';

describe('a hands-free voice turn: streamed speech in, the reply spoken back', () => {
  let fake: FakeOpenAiServer;
  let viva: RunningViva;
  let skipReason: string | undefined;

  before(async () => {
    skipReason = await missingSpeechTools('wav');
    fake = await FakeOpenAiServer.start();
    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN, durationS: 4 });
    viva = await startInProcess({
      STT_PROVIDER: 'openai',
      STT_BASE_URL: fake.baseUrl,
      TTS_PROVIDER: 'openai',
      TTS_BASE_URL: fake.baseUrl,
      TTS_VOICE: 'alloy',
    });
  });
  after(async () => {
    await viva?.stop();
    await fake?.close();
  });

  it('says what it can do in connected', async () => {
    const { client, connected } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
    assert.deepEqual(connected.data.capabilities, { speech_input: true, speech_output: true, voice_input_formats: ['pcm16'], voices: ['alloy'] });
    client.close();
  });

  it('speaks typed answers\' replies too while the voice is on (input: null)', async () => {
    const { client } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
    client.send({ type: 'voice_start', data: { input: null } });
    const started = await client.next('voice_started');
    assert.equal(started.data.input, null);
    const reply = await client.answer('Hello, I am ready for the interview.');
    const done = await client.next('ai_audio_done', (message) => message.data.turn === reply.data.turn);
    assert.ok(done.data.duration_ms > 0);
    assert.ok(replyAudio(client, reply.data.turn).length > 0);
    client.send({ type: 'voice_stop' });
    await client.next('voice_stopped');
    const quiet = await client.answer('I have five years of backend experience.');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(replyAudio(client, quiet.data.turn).length, 0, 'no voice after voice_stop');
    client.close();
  });

  it('detects the end of the turn after a thinking pause, transcribes, answers, and speaks the answer', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const first = await speechPcm('I moved our billing service to Postgres');
    const second = await speechPcm('and measured every step.');
    const { client } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
    client.send({ type: 'voice_start', id: 'v1', data: { input: { sample_rate: 16000, turn_detection: { type: 'server_vad', silence_ms: 800 } } } });
    const started = await client.next('voice_started');
    assert.equal(started.reply_to, 'v1');
    assert.deepEqual(started.data.input, { format: 'pcm16', sample_rate: 16000, turn_detection: { type: 'server_vad', silence_ms: 800, interrupt_response: true } });
    assert.deepEqual(started.data.output, { voice: 'alloy', format: 'pcm16', sample_rate: 24000 });

    const before = fake.transcriptionRequests.length;
    // a pause inside the answer shorter than silence_ms (espeak-ng's own 350 ms after the words, then 300 ms): one turn, not two
    await streamAudio(client, Buffer.concat([silencePcm(400), first, silencePcm(300), second, silencePcm(1200)]), { chunkMs: 40 });
    const speechStarted = await client.next('speech_started');
    assert.ok(speechStarted.data.audio_start_ms >= 300 && speechStarted.data.audio_start_ms <= 700, `speech began near 400 ms, got ${speechStarted.data.audio_start_ms}`);
    const stopped = await client.next('speech_stopped');
    const spokenEndMs = 400 + ((first.length + second.length) / 32) + 300;
    assert.ok(Math.abs(stopped.data.audio_end_ms - spokenEndMs) < 400, `speech ended near ${spokenEndMs} ms, got ${stopped.data.audio_end_ms}`);

    const transcription = await client.next('transcription');
    assert.equal(transcription.data.text, SPOKEN);
    assert.equal(transcription.data.audio_format, 'wav');
    assert.equal(transcription.reply_to, undefined, 'a voice turn carries no reply_to');
    const reply = await client.next('ai_response');
    assert.ok(typeof reply.seq === 'number');
    assert.ok(typeof reply.data.latency_ms.end_of_speech === 'number', 'end_of_speech latency');
    assert.ok(typeof reply.data.latency_ms.first_audio === 'number', 'first_audio latency');
    const done = await client.next('ai_audio_done');
    assert.equal(done.data.turn, reply.data.turn);
    assert.equal(client.messages.filter((message) => message.type === 'speech_started').length, 1, 'the pause did not split the turn');

    // the final transcription was of a WAV of the whole utterance
    const finalRequest = fake.transcriptionRequests.at(-1);
    assert.ok(finalRequest && finalRequest.bytes.subarray(0, 4).toString('ascii') === 'RIFF');
    assert.ok(fake.transcriptionRequests.length - before >= 1);

    // the spoken reply: every sentence, as 24 kHz PCM16, as long as the fake voice makes it
    const deltas = client.messages.filter((message) => message.type === 'ai_audio_delta');
    assert.ok(deltas.length > 0);
    for (const delta of deltas) {
      assert.equal(delta.data.format, 'pcm16');
      assert.equal(delta.data.sample_rate, 24000);
    }
    const spokenText = deltas.map((delta) => delta.data.text ?? '').join(' ');
    const audio = replyAudio(client, reply.data.turn);
    const audioMs = (audio.length / 2 / 24000) * 1000;
    const expectedMs = fake.speechRequests.slice(-deltas.filter((delta) => delta.data.text !== undefined).length)
      .reduce((total, request) => total + request.body.input.length * FAKE_SPEECH_MS_PER_CHARACTER, 0);
    assert.ok(Math.abs(audioMs - expectedMs) < 50, `audio ${audioMs} ms, expected ${expectedMs} ms`);
    assert.ok(Math.abs(done.data.duration_ms - audioMs) < 50);
    assert.equal(spokenText.replace(/\s+/g, ' ').trim(), reply.data.ai_response.replace(/\s+/g, ' ').trim(), 'the whole reply was spoken');
    client.close();
  });
});
