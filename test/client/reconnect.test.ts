import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DisconnectedEvent } from '@viva/client/index.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { FlakyNetwork } from '../helpers/flaky-network.js';
import { ANSWERS, makeClient, nextEvent, recordMessages, transcriptOf, waitFor } from './sdk-test-helpers.js';

/**
 * A flaky network between the SDK and a real server: whatever is cut, dropped or stalled, every input
 * gets exactly one turn on the server and exactly one reply at the client.
 */
describe('VivaClient on a flaky network', () => {
  let server: VivaProcess;
  let network: FlakyNetwork;
  before(async () => {
    server = await startViva({ HEARTBEAT_INTERVAL_MS: '250' });
    network = await FlakyNetwork.start(server.port);
  });
  after(async () => {
    await network.close();
    await server.stop();
  });

  it('gets a reply cut off mid-stream exactly once, after reconnecting and resuming', async () => {
    const client = makeClient({ url: network.wsUrl, sessionId: 'flaky-mid-turn' });
    const messages = recordMessages(client);
    const drops: DisconnectedEvent[] = [];
    client.on('disconnected', (event) => drops.push(event));
    try {
      await client.connect();
      await client.sendText('Hello');
      // the connection dies under the reply, right after its first piece
      network.cutAfterServerMessage((text) => text.includes('"ai_response_delta"'));
      const deltas: string[] = [];
      client.on('ai_response_delta', (message) => deltas.push(message.data.delta));
      const reply = await client.sendText(ANSWERS[0] ?? '', { id: 'mid-turn-answer' });
      assert.ok(deltas.length >= 1);
      assert.equal(reply.reply_to, 'mid-turn-answer');
      assert.equal(drops.length, 1);
      assert.equal(drops[0]?.code, 1006);
      assert.equal(client.state, 'open');

      // the re-sent input was answered from the store: same seq, not shown again
      await client.ping();
      const replies = messages.filter((message) => message.type === 'ai_response' && message.reply_to === 'mid-turn-answer');
      assert.equal(replies.length, 1);
      assertSeqsAreUnique(messages);
      const transcript = await transcriptOf(server.baseUrl, 'flaky-mid-turn');
      assert.deepEqual(transcript.map((turn) => turn.candidate), ['Hello', ANSWERS[0]]);
      // and the conversation goes on from there
      const next = await client.sendText(ANSWERS[1] ?? '');
      assert.equal(next.data.turn, 3);
    } finally {
      client.close();
    }
  });

  it('re-sends an input lost on the way to the server', async () => {
    const client = makeClient({ url: network.wsUrl, sessionId: 'flaky-lost-input' });
    try {
      await client.connect();
      await client.sendText('Hello');
      network.dropRequests();
      const reply = client.sendText(ANSWERS[0] ?? '');
      await waitFor(() => network.droppedRequestBytes > 0, 5_000, 'the input to be lost');
      network.restore();
      network.reset();
      assert.equal((await reply).data.turn, 2);
      const transcript = await transcriptOf(server.baseUrl, 'flaky-lost-input');
      assert.deepEqual(transcript.map((turn) => turn.candidate), ['Hello', ANSWERS[0]]);
    } finally {
      network.restore();
      client.close();
    }
  });

  it('does not answer twice an input whose reply was lost on the way back', async () => {
    const client = makeClient({ url: network.wsUrl, sessionId: 'flaky-lost-reply' });
    const messages = recordMessages(client);
    try {
      await client.connect();
      await client.sendText('Hello');
      network.dropReplies();
      const reply = client.sendText(ANSWERS[0] ?? '', { id: 'lost-reply' });
      // the server made the turn; its reply went nowhere
      await waitFor(async () => (await transcriptOf(server.baseUrl, 'flaky-lost-reply')).length === 2, 5_000, 'the turn');
      network.restore();
      network.reset();
      const answered = await reply;
      assert.equal(answered.data.turn, 2);
      await client.ping();
      // resume replayed it and the re-sent input got it again: shown once
      assert.equal(messages.filter((message) => message.type === 'ai_response' && message.reply_to === 'lost-reply').length, 1);
      assertSeqsAreUnique(messages);
      assert.equal((await transcriptOf(server.baseUrl, 'flaky-lost-reply')).length, 2);
    } finally {
      network.restore();
      client.close();
    }
  });

  it('takes a silent (half-open) connection for dead after two heartbeat intervals and reconnects', async () => {
    const client = makeClient({ url: network.wsUrl, sessionId: 'flaky-silent' });
    try {
      const connected = await client.connect();
      assert.equal(connected.heartbeat_interval_ms, 250);
      await client.sendText('Hello');
      const dropped = nextEvent(client, 'disconnected');
      network.stall();
      const reply = client.sendText(ANSWERS[0] ?? '');
      const [event] = await dropped;
      assert.equal(event.code, 4008);
      assert.equal((await reply).data.turn, 2);
      assert.equal((await transcriptOf(server.baseUrl, 'flaky-silent')).length, 2);
    } finally {
      client.close();
    }
  });

  it('stays connected through idle heartbeat intervals (its pings keep both sides sure)', async () => {
    const client = makeClient({ url: network.wsUrl, sessionId: 'flaky-idle' });
    const drops: DisconnectedEvent[] = [];
    client.on('disconnected', (event) => drops.push(event));
    try {
      await client.connect();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.deepEqual(drops, []);
      assert.equal(client.state, 'open');
    } finally {
      client.close();
    }
  });
});

describe('VivaClient across a server restart', () => {
  it('reconnects to the restarted server and resumes the same session, with inputs made while it was down', async () => {
    const first = await startViva();
    const network = await FlakyNetwork.start(first.port);
    const client = makeClient({ url: network.wsUrl, sessionId: 'restart-sdk', reconnect: { initialDelayMs: 50, maxDelayMs: 300 } });
    const messages = recordMessages(client);
    let second: VivaProcess | undefined;
    try {
      await client.connect();
      const greeting = await client.sendText('Hello');
      const dropped = nextEvent(client, 'disconnected');
      const notice = nextEvent(client, 'notice');
      assert.equal(await first.stop(), 0);
      const [event] = await dropped;
      assert.equal(event.code, 1012);
      assert.equal((await notice)[0].data.from, 'system');
      // typed while the server is away: waits, then goes out after the reconnect
      const reply = client.sendText(ANSWERS[0] ?? '');
      assert.equal(client.state, 'reconnecting');

      second = await startViva({ DATABASE_URL: first.databasePath });
      network.retarget(second.port);
      const answered = await reply;
      assert.equal(answered.data.turn, 2);
      assert.ok(answered.seq !== undefined && greeting.seq !== undefined && answered.seq > greeting.seq);
      assert.equal(client.sessionId, 'restart-sdk');
      assertSeqsAreUnique(messages);
      assert.deepEqual((await transcriptOf(second.baseUrl, 'restart-sdk')).map((turn) => turn.candidate), ['Hello', ANSWERS[0]]);
    } finally {
      client.close();
      await network.close();
      await first.stop();
      await second?.stop();
    }
  });
});

describe('VivaClient refused at the upgrade', () => {
  it('gives up at once on 401 in token mode instead of retrying forever', async () => {
    const server = await startViva({ AUTH_MODE: 'token', API_KEYS: 'test-key' });
    const client = makeClient({ url: server.wsUrl, sessionId: 'no-token', reconnect: { initialDelayMs: 1, maxDelayMs: 5 } });
    const drops: DisconnectedEvent[] = [];
    client.on('disconnected', (event) => drops.push(event));
    try {
      await assert.rejects(client.connect(), { code: 'UNAUTHORIZED' });
      assert.equal(client.state, 'closed');
      assert.deepEqual(drops, []);

      // with the token from POST /interview/start it gets in
      const started = await fetch(`${server.baseUrl}/api/v1/interview/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'test-key' },
        body: JSON.stringify({}),
      });
      const { session_id: sessionId, session_token: token } = (await started.json()) as { session_id: string; session_token: string };
      const allowed = makeClient({ url: server.wsUrl, sessionId, token, lastSeq: 0 });
      const greeting = nextEvent(allowed, 'ai_response');
      await allowed.connect();
      assert.equal((await greeting)[0].seq, 1);
      allowed.close();
    } finally {
      client.close();
      await server.stop();
    }
  });
});

function assertSeqsAreUnique(messages: Array<{ seq?: number | undefined }>): void {
  const seqs = messages.flatMap((message) => (message.seq === undefined ? [] : [message.seq]));
  assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), `seqs out of order or repeated: ${seqs.join(', ')}`);
}
