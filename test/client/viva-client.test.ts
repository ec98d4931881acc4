import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VivaClientError, type AiResponseMessage } from '@viva/client/index.js';
import { TestClient } from '../helpers/test-client.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { ANSWERS, makeClient, nextEvent, recordMessages, transcriptOf, waitFor } from './sdk-test-helpers.js';

describe('VivaClient against the real server', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva();
  });
  after(async () => {
    await server.stop();
  });

  it('runs a whole interview to interview_ended, with settings, streamed deltas and ordered seqs', async () => {
    const client = makeClient({
      url: server.baseUrl,
      candidate: { name: 'Ada' },
      interview: { role: 'Backend Engineer', level: 'senior', question_count: 2 },
    });
    const messages = recordMessages(client);
    const states: string[] = [];
    client.on('state', (state) => states.push(state));
    const deltas = new Map<number, string>();
    client.on('ai_response_delta', (message) => deltas.set(message.data.turn, (deltas.get(message.data.turn) ?? '') + message.data.delta));
    const ended = nextEvent(client, 'interview_ended');
    try {
      const connected = await client.connect();
      assert.match(connected.session_id, /^[A-Za-z0-9_-]+$/);
      assert.equal(client.sessionId, connected.session_id);
      // resolved with the answer to the settings: they started the interview
      assert.equal(connected.interview.state, 'in_progress');
      assert.equal(connected.interview.total_questions, 2);
      assert.equal(typeof connected.session_token, 'string');
      assert.equal(client.sessionToken, connected.session_token);
      assert.equal(client.state, 'open');

      const replies: AiResponseMessage[] = [await client.sendText('Hello, I am ready.')];
      assert.equal(replies[0]?.data.interview.question_number, 1);
      for (const answer of ANSWERS) {
        const reply = await client.sendText(answer);
        replies.push(reply);
        if (reply.data.interview.state === 'completed') break;
      }
      assert.equal(replies.at(-1)?.data.interview.state, 'completed');
      const [endMessage] = await ended;
      assert.equal(endMessage.data.reason, 'completed');

      // every reply was streamed, and the pieces add up to it
      for (const reply of replies) assert.equal(deltas.get(reply.data.turn), reply.data.ai_response);
      const seqs = messages.flatMap((message) => (message.seq === undefined ? [] : [message.seq]));
      assert.deepEqual(seqs, seqs.map((_, index) => index + 1));
      assert.equal(client.lastSeq, seqs.at(-1));
      assert.deepEqual(states, ['connecting', 'open']);
      assert.equal((await transcriptOf(server.baseUrl, connected.session_id)).length, replies.length);

      const report = await fetch(client.httpUrl(endMessage.data.report_url));
      assert.equal(report.status, 200);
      const body = (await report.json()) as { session_id: string; candidate: { name: string } };
      assert.equal(body.session_id, client.sessionId);
      assert.equal(body.candidate.name, 'Ada');

      // the interview is over: a further answer is refused with the contract's code
      await assert.rejects(client.sendText('One more thing.'), (error: unknown) => error instanceof VivaClientError && error.code === 'INTERVIEW_COMPLETED');
    } finally {
      client.close();
    }
  });

  it('ends an interview early with endInterview, and a second end resolves with the same end', async () => {
    const client = makeClient({ url: server.wsUrl, sessionId: 'sdk-end-early' });
    try {
      await client.connect();
      await client.sendText('Hello');
      const ended = await client.endInterview('ended_by_candidate');
      assert.equal(ended.data.reason, 'ended_by_candidate');
      assert.equal(ended.data.report_url, '/api/v1/interview/sdk-end-early/report');
      const again = await client.endInterview();
      assert.equal(again.seq, ended.seq);
    } finally {
      client.close();
    }
  });

  it('rejects an invalid input with a VivaClientError and keeps the connection', async () => {
    const client = makeClient({ url: `${server.wsUrl}/api/v1/ws/sdk-invalid` });
    const errors = recordMessages(client);
    try {
      await client.connect();
      assert.equal(client.sessionId, 'sdk-invalid');
      const rejection = await client.sendText('   ', { id: 'empty-1' }).then(
        () => assert.fail('an empty answer was accepted'),
        (error: unknown) => error,
      );
      assert.ok(rejection instanceof VivaClientError);
      assert.equal(rejection.code, 'INVALID_MESSAGE');
      assert.equal(rejection.retryable, false);
      assert.equal(rejection.replyTo, 'empty-1');
      assert.equal(client.state, 'open');
      // the error is an event too
      assert.ok(errors.some((message) => message.type === 'error' && message.reply_to === 'empty-1'));
      const reply = await client.sendText('Hello');
      assert.equal(reply.data.turn, 1);
      // ids the server could not echo are refused before they are sent
      await assert.rejects(client.sendText('x', { id: 'x'.repeat(65) }), { code: 'INVALID_MESSAGE' });
      // interview settings are checked before they are sent
      assert.throws(() => makeClient({ url: server.wsUrl, interview: { question_count: 100 } }), { code: 'INVALID_MESSAGE' });
    } finally {
      client.close();
    }
  });

  it('stops and emits replaced on 4001, without reconnecting', async () => {
    const client = makeClient({ url: server.wsUrl, sessionId: 'sdk-replaced', reconnect: { initialDelayMs: 1, maxDelayMs: 5 } });
    await client.connect();
    const replaced = nextEvent(client, 'replaced');
    const closed = nextEvent(client, 'closed');
    const { client: newer } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/sdk-replaced`);
    try {
      const [event] = await replaced;
      assert.equal(event.code, 4001);
      const [closedEvent] = await closed;
      assert.equal(closedEvent.error?.code, 'REPLACED');
      assert.equal(client.state, 'closed');
      await assert.rejects(client.sendText('still there?'), { code: 'NOT_CONNECTED' });
      // had it reconnected, the newer connection would have been replaced in turn
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(newer.closeCode, undefined);
    } finally {
      newer.close();
    }
  });

  it('replays from a saved lastSeq, starts at the present without one, and never emits a seq twice', async () => {
    const first = makeClient({ url: server.wsUrl, sessionId: 'sdk-restore' });
    await first.connect();
    await first.sendText('Hello');
    await first.sendText(ANSWERS[0] ?? '');
    const saved = first.lastSeq;
    assert.equal(saved, 2);
    first.close();

    const fromStart = makeClient({ url: server.wsUrl, sessionId: 'sdk-restore', lastSeq: 0 });
    const replayed = recordMessages(fromStart);
    await fromStart.connect();
    await waitFor(() => fromStart.lastSeq === 2, 5_000, 'the replay');
    assert.deepEqual(replayed.filter((message) => message.seq !== undefined).map((message) => message.seq), [1, 2]);
    fromStart.close();

    const fromSaved = makeClient({ url: server.wsUrl, sessionId: 'sdk-restore', lastSeq: 1 });
    const partial = recordMessages(fromSaved);
    await fromSaved.connect();
    await waitFor(() => fromSaved.lastSeq === 2, 5_000, 'the replay');
    // re-sending an input whose answer was seen is answered (same seq) but not shown again
    const reply = await fromSaved.sendText('I profile first…', { id: 'restore-answer' });
    const again = await fromSaved.sendText('I profile first…', { id: 'restore-answer' }).catch(() => undefined);
    assert.deepEqual(again, reply);
    assert.deepEqual(partial.filter((message) => message.seq !== undefined).map((message) => message.seq), [2, 3]);
    fromSaved.close();

    const present = makeClient({ url: server.wsUrl, sessionId: 'sdk-restore' });
    const none = recordMessages(present);
    const connected = await present.connect();
    assert.equal(connected.last_seq, 3);
    assert.equal(present.lastSeq, 3);
    assert.equal(await present.ping().then((ms) => ms >= 0), true);
    assert.deepEqual(none.filter((message) => message.seq !== undefined), []);
    present.close();
  });

  it('sends audio as base64 and rejects with the server error code when no recognizer is configured', async () => {
    const client = makeClient({ url: server.wsUrl, sessionId: 'sdk-audio' });
    const statuses: string[] = [];
    client.on('status', (message) => statuses.push(message.data.state));
    try {
      await client.connect();
      const wav = silentWav(8_000, 0.5);
      await assert.rejects(client.sendAudio(wav, { format: 'wav' }), (error: unknown) => error instanceof VivaClientError && error.code === 'STT_UNAVAILABLE');
      await assert.rejects(client.sendAudio(new Blob([wav.slice().buffer], { type: 'audio/wav' })), { code: 'STT_UNAVAILABLE' });
      await assert.rejects(client.sendAudio(new Uint8Array([1, 2, 3, 4])), { code: 'UNSUPPORTED_AUDIO_FORMAT' });
      assert.equal(client.state, 'open');
    } finally {
      client.close();
    }
  });

  it('closes cleanly: no reconnect, waiting inputs rejected, and connect() resumes later', async () => {
    const client = makeClient({ url: server.wsUrl, sessionId: 'sdk-close' });
    await client.connect();
    await client.sendText('Hello');
    assert.deepEqual((await connectedSessions(server)).filter((id) => id === 'sdk-close'), ['sdk-close']);
    const closed = nextEvent(client, 'closed');
    client.close();
    const [event] = await closed;
    assert.equal(event.code, 1000);
    assert.equal(event.error, undefined);
    assert.equal(client.state, 'closed');
    await assert.rejects(client.ping(), { code: 'NOT_CONNECTED' });
    await waitFor(async () => !(await connectedSessions(server)).includes('sdk-close'), 5_000, 'the server to see the close');

    const again = await client.connect();
    assert.equal(again.resumed, true);
    assert.equal(client.lastSeq, 1);
    const reply = await client.sendText(ANSWERS[0] ?? '');
    assert.equal(reply.seq, 2);
    client.close();
  });
});

async function connectedSessions(server: VivaProcess): Promise<string[]> {
  const response = await fetch(`${server.baseUrl}/api/v1/websocket/sessions`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  const body = (await response.json()) as { sessions: Array<{ session_id: string }> };
  return body.sessions.map((session) => session.session_id);
}

/** A mono 16-bit PCM WAV of silence. */
function silentWav(sampleRate: number, seconds: number): Uint8Array {
  const samples = Math.round(sampleRate * seconds);
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((character, index) => view.setUint8(offset + index, character.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  return bytes;
}
