import { FakeOpenAiServer } from '../test/helpers/fake-openai-server.js';
import { interviewModel } from '../test/helpers/fake-interview-model.js';

/**
 * The voice scenario's fake providers, in a process of their own: in the bench's process their fixed delays
 * would stretch with the candidates' work on the same event loop, and the stretch would be counted as Viva's.
 * Configured by FAKE_STT_MS, FAKE_FIRST_TOKEN_MS, FAKE_TTS_FIRST_AUDIO_MS (milliseconds) and FAKE_TRANSCRIPT.
 * Prints a banner with its port, then serves until killed.
 */
const { FAKE_STT_MS: sttMs = '100', FAKE_FIRST_TOKEN_MS: firstTokenMs = '200', FAKE_TTS_FIRST_AUDIO_MS: ttsFirstAudioMs = '100' } = process.env;
const transcript = process.env.FAKE_TRANSCRIPT ?? 'Hello.';
const fake = await FakeOpenAiServer.start();
fake.transcriptionHandler = () => ({ kind: 'transcript', text: transcript, delayMs: Number(sttMs) });
const model = interviewModel();
fake.chatHandler = (request) => {
  const script = model(request);
  return script.kind === 'reply' && request.body.stream === true ? { ...script, firstChunkDelayMs: Number(firstTokenMs) } : script;
};
fake.speechHandler = () => ({ kind: 'audio', firstChunkDelayMs: Number(ttsFirstAudioMs) });
process.stderr.write(`fake providers listening on http://127.0.0.1:${fake.port}\n`);
