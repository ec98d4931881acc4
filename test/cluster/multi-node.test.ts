import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerMessage } from '@viva/protocol/server-messages.js';
import type { TestClient } from '../helpers/test-client.js';
import { api, clusterSkipReason, connectTo, eventually, startCluster, type TestCluster } from './cluster-harness.js';

const skip = await clusterSkipReason();

interface SessionsAnswer {
  total: number;
  sessions: Array<{ session_id: string; node: string }>;
}

interface StatsAnswer {
  connections_active: number;
  nodes: Array<{ node: string; connections_active: number; messages_in: number; messages_out: number }>;
}

/** Every durable message of the session, as a fresh connection replays it from the start. */
async function history(cluster: TestCluster, nodeIndex: number, sessionId: string, lastSeq: number): Promise<ServerMessage[]> {
  const { client } = await connectTo(cluster.node(nodeIndex), sessionId, 0);
  try {
    const messages: ServerMessage[] = [];
    while (messages.length < lastSeq) {
      const next = await Promise.race(
        (['transcription', 'ai_response', 'notice', 'interview_ended'] as const).map((type) => client.next(type)),
      );
      messages.push(next);
    }
    return messages;
  } finally {
    client.close();
  }
}

describe('three gateway nodes on Redis and PostgreSQL', { skip }, () => {
  let cluster: TestCluster;
  const open: TestClient[] = [];

  before(async () => {
    cluster = await startCluster(3);
  });

  after(async () => {
    for (const client of open) client.close();
    await cluster?.stop();
  });

  it('a session that moves from node to node between turns keeps its whole history and order', async () => {
    const answers = [
      'Hello, I am ready.',
      'I built a payments service in Go that handled 3,000 requests per second.',
      'We sharded PostgreSQL by merchant id, which cut p99 latency from 900 ms to 120 ms.',
      'I mentored two engineers; as a result both led projects within six months.',
      'I would add a queue between the API and the ledger to absorb bursts.',
    ];
    let lastSeq = 0;
    const replies: Array<{ seq: number; turn: number; text: string }> = [];
    for (const [index, text] of answers.entries()) {
      const nodeIndex = index % 3;
      const { client, connected } = await connectTo(cluster.node(nodeIndex), 'roaming-1', index === 0 ? undefined : lastSeq);
      assert.equal(connected.data.last_seq, lastSeq, `node-${nodeIndex + 1} sees every earlier message`);
      const reply = await client.answer(text, `turn-${index}`);
      assert.equal(reply.seq, lastSeq + 1, 'seq continues across nodes without a gap');
      replies.push({ seq: reply.seq ?? 0, turn: reply.data.turn, text: reply.data.ai_response });
      lastSeq = reply.seq ?? lastSeq;
      client.close();
      await client.closed;
    }
    assert.deepEqual(
      replies.map((reply) => reply.turn),
      [1, 2, 3, 4, 5],
    );

    const replayed = await history(cluster, 1, 'roaming-1', lastSeq);
    assert.deepEqual(
      replayed.map((message) => message.seq),
      replies.map((reply) => reply.seq),
    );
    assert.deepEqual(
      replayed.map((message) => (message.type === 'ai_response' ? message.data.ai_response : null)),
      replies.map((reply) => reply.text),
    );
    const session = await api<{ transcript: Array<{ turn: number; candidate: string | null }> }>(cluster.node(2), '/api/v1/interview/roaming-1');
    assert.deepEqual(
      session.body.transcript.map((turn) => [turn.turn, turn.candidate]),
      answers.map((text, index) => [index + 1, text]),
    );

    // an input sent again on yet another node is answered from the store, not a second time
    const { client } = await connectTo(cluster.node(0), 'roaming-1', lastSeq);
    client.send({ type: 'text_input', id: 'turn-2', data: { text: answers[2] } });
    const again = await client.next('ai_response');
    assert.equal(again.seq, replies[2]?.seq);
    client.close();
  });

  it('a broadcast from one node reaches clients on all three, and stats cover every node', async () => {
    const clients: TestClient[] = [];
    for (const index of [0, 1, 2]) {
      const { client } = await connectTo(cluster.node(index), `listener-${index}`);
      clients.push(client);
      open.push(client);
    }
    await eventually('every node lists the three listeners', async () => {
      const listed = await api<SessionsAnswer>(cluster.node(1), '/api/v1/websocket/sessions');
      const mine = listed.body.sessions.filter((entry) => entry.session_id.startsWith('listener-'));
      return mine.length === 3;
    });
    const listed = await api<SessionsAnswer>(cluster.node(0), '/api/v1/websocket/sessions');
    assert.deepEqual(
      listed.body.sessions
        .filter((entry) => entry.session_id.startsWith('listener-'))
        .map((entry) => [entry.session_id, entry.node])
        .sort(),
      [
        ['listener-0', 'node-1'],
        ['listener-1', 'node-2'],
        ['listener-2', 'node-3'],
      ],
    );

    const broadcast = await api<{ recipients: number }>(cluster.node(1), '/api/v1/websocket/broadcast', {
      method: 'POST',
      body: { message: 'The office closes early today.' },
    });
    assert.equal(broadcast.status, 200);
    assert.ok(broadcast.body.recipients >= 3, `recipients ${broadcast.body.recipients}`);
    for (const client of clients) {
      const notice = await client.next('notice');
      assert.equal(notice.data.message, 'The office closes early today.');
      assert.equal(notice.data.from, 'admin');
    }

    // a message to one session, sent through a node that does not hold its connection
    const direct = await api<{ delivered: boolean; seq: number }>(cluster.node(2), '/api/v1/websocket/sessions/listener-0/message', {
      method: 'POST',
      body: { message: 'Just for you', data: { room: 4 } },
    });
    assert.equal(direct.body.delivered, true);
    const notice = await clients[0]?.next('notice');
    assert.equal(notice?.data.message, 'Just for you');
    assert.equal(notice?.seq, direct.body.seq);

    // another node's counters are as fresh as its last heartbeat (NODE_HEARTBEAT_MS)
    let stats = await api<StatsAnswer>(cluster.node(2), '/api/v1/websocket/stats');
    await eventually('every node reports its connection in the stats', async () => {
      stats = await api<StatsAnswer>(cluster.node(2), '/api/v1/websocket/stats');
      return stats.body.nodes.every((node) => node.connections_active >= 1);
    });
    assert.deepEqual(
      stats.body.nodes.map((node) => node.node),
      ['node-1', 'node-2', 'node-3'],
    );
    assert.equal(
      stats.body.connections_active,
      stats.body.nodes.reduce((sum, node) => sum + node.connections_active, 0),
    );
  });

  it('a second connection to a session on another node replaces the first with 4001', async () => {
    const { client: first } = await connectTo(cluster.node(0), 'moved-1');
    open.push(first);
    await first.answer('Hello there.', 'm-1');
    const { client: second, connected } = await connectTo(cluster.node(1), 'moved-1', 0);
    open.push(second);
    assert.equal(connected.data.resumed, true);
    assert.equal(await first.closed, 4001);
    const reply = await second.answer('I like distributed systems.', 'm-2');
    assert.equal(reply.data.turn, 2);
    await eventually('the session is listed once, on node-2', async () => {
      const listed = await api<SessionsAnswer>(cluster.node(2), '/api/v1/websocket/sessions');
      const entries = listed.body.sessions.filter((entry) => entry.session_id === 'moved-1');
      return entries.length === 1 && entries[0]?.node === 'node-2';
    });
    // and back: a third connection on node-3 replaces the one on node-2
    const { client: third } = await connectTo(cluster.node(2), 'moved-1');
    open.push(third);
    assert.equal(await second.closed, 4001);
  });

  it('inputs of one session sent through two nodes at once are processed one at a time', async () => {
    const { client } = await connectTo(cluster.node(0), 'contended-1');
    open.push(client);
    await client.answer('Hello.', 'c-0');
    // the same session over HTTP on two other nodes while the WebSocket sends too
    const http = [1, 2].map((index) =>
      fetch(`${cluster.node(index).baseUrl}/api/v1/interview/contended-1/process-unified`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `Answer through node ${index + 1}: I tuned the garbage collector.`, id: `http-${index}` }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as { seq?: number; turn?: number } })),
    );
    client.send({ type: 'text_input', id: 'ws-1', data: { text: 'Answer through the socket: I wrote the migration plan.' } });
    const results = await Promise.all(http);
    for (const result of results) assert.equal(result.status, 200, JSON.stringify(result.body));
    await client.next('ai_response', (message) => message.reply_to === 'ws-1');
    const session = await api<{ transcript: Array<{ turn: number }>; last_seq: number }>(cluster.node(0), '/api/v1/interview/contended-1');
    assert.deepEqual(
      session.body.transcript.map((turn) => turn.turn),
      [1, 2, 3, 4],
    );
    const replayed = await history(cluster, 2, 'contended-1', 4);
    assert.deepEqual(
      replayed.map((message) => message.seq),
      [1, 2, 3, 4],
    );
  });
});
