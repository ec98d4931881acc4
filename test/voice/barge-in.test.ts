import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { interviewModel, replyFor } from '../helpers/fake-interview-model.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { missingSpeechTools } from '../helpers/speech-fixtures.js';
import { TestClient } from '../helpers/test-client.js';
import { silencePcm, speechPcm, streamAudio } from '../helpers/voice-audio.js';

const LONG_REPLY =
  'Thanks, that is helpful context. Before we go on, I would like to hear much more about how you planned the rollout, who you worked with, what went wrong along the way, and what you would change if you did it again tomorrow.';

describe('barge-in: the candidate speaks over the interviewer', () => {
  let fake: FakeOpenAiServer;
  let viva: RunningViva;
  let skipReason: string | undefined;

  before(async () => {
    skipReason = await missingSpeechTools('wav');
    fake = await FakeOpenAiServer.start();
    let replies = 0;
    fake.chatHandler = interviewModel({
      interviewer: (request) => {
        replies += 1;
        // the first reply is long and slow, so the candidate can cut in while it is still being written
        return replies === 1 ? { kind: 'reply', text: LONG_REPLY, chunkDelayMs: 60 } : { kind: 'reply', text: replyFor(request) };
      },
    });
    fake.speechHandler = () => ({ kind: 'audio', chunkDelayMs: 20 });
    viva = await startInProcess(fake.providerEnvironment);
  });
  after(async () => {
    await viva?.stop();
    await fake?.close();
  });

  it('stops the reply, records what was heard, and the next turn works from that', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const answer = await speechPcm('I led the migration of our billing system.');
    const interruption = await speechPcm('Sorry, can I add one thing?');
    const { client, connected } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
    const sessionId = connected.data.session_id;
    client.send({ type: 'voice_start', data: { input: { turn_detection: { type: 'server_vad', silence_ms: 600 } } } });
    await client.next('voice_started');

    fake.queueTranscription({ kind: 'transcript', text: 'I led the migration of our billing system.' });
    await streamAudio(client, Buffer.concat([answer, silencePcm(900)]));
    await client.next('speech_stopped');
    const firstAudio = await client.next('ai_audio_delta', () => true, 15_000);
    const turn = firstAudio.data.turn;

    // the candidate cuts in while the reply is still being generated and spoken
    fake.queueTranscription({ kind: 'transcript', text: 'Sorry, can I add one thing?' });
    const streaming = streamAudio(client, Buffer.concat([interruption, silencePcm(900)]));
    await client.next('speech_started');
    client.send({ type: 'playback_truncate', data: { turn, played_ms: 1000 } });
    const cut = await client.next('ai_response', (message) => message.data.turn === turn, 15_000);
    assert.equal(cut.data.cancelled, true, 'the reply being generated was cancelled');
    assert.ok(cut.data.ai_response.length < LONG_REPLY.length);
    await streaming;

    const next = await client.next('ai_response', (message) => message.data.turn === turn + 1, 15_000);
    assert.ok(next.data.ai_response.length > 0);

    const session = (await (await fetch(`${viva.baseUrl}/api/v1/interview/${sessionId}`, {
      headers: { authorization: `Bearer ${viva.adminToken}` },
    })).json()) as { transcript: Array<{ turn: number; interviewer: string; heard_text?: string; interrupted?: boolean }> };
    const interrupted = session.transcript.find((entry) => entry.turn === turn);
    assert.equal(interrupted?.interrupted, true);
    assert.ok(interrupted?.heard_text !== undefined && interrupted.heard_text.length > 0, 'some words were heard');
    assert.ok(cut.data.ai_response.startsWith(interrupted.heard_text.replace(/\s+\S*$/, '')), 'what was heard is the start of the reply');
    assert.ok(interrupted.heard_text.length < cut.data.ai_response.length);
    // the interviewer's next turn was given what was heard, not the words never spoken
    const unheard = cut.data.ai_response.slice(interrupted.heard_text.length + 20).trim();
    const secondPrompt = fake.chatRequests.at(-1)?.body.messages.map((message) => message.content).join('\n') ?? '';
    if (unheard.length > 10) assert.ok(!secondPrompt.includes(unheard), 'the unheard words are not in the next prompt');
    client.close();
  });
});
