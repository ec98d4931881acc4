import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, clusterSkipReason, connectTo, databaseClient, eventually, startCluster, type TestCluster } from './cluster-harness.js';

const skip = await clusterSkipReason();

/** What PostgreSQL holds for the session: ai_response count per input id, turn numbers, and all seqs. */
async function stored(cluster: TestCluster, sessionId: string) {
  const client = await databaseClient(cluster.database);
  try {
    const answers = await client.query<{ reply_to: string | null; count: number }>(
      `SELECT reply_to, count(*)::integer AS count FROM messages WHERE session_id = $1 AND type = 'ai_response' GROUP BY reply_to ORDER BY reply_to`,
      [sessionId],
    );
    const turns = await client.query<{ turn: number; input_id: string | null }>('SELECT turn, input_id FROM turns WHERE session_id = $1 ORDER BY turn', [sessionId]);
    const seqs = await client.query<{ seq: string }>('SELECT seq FROM messages WHERE session_id = $1 ORDER BY seq', [sessionId]);
    return {
      answersPerInput: Object.fromEntries(answers.rows.map((row) => [row.reply_to ?? '', row.count])),
      turns: turns.rows.map((row) => [row.turn, row.input_id]),
      seqs: seqs.rows.map((row) => Number(row.seq)),
    };
  } finally {
    await client.end();
  }
}

describe('a node killed with SIGKILL', { skip }, () => {
  let cluster: TestCluster;

  before(async () => {
    cluster = await startCluster(3);
  });

  after(async () => {
    await cluster?.stop();
  });

  it('mid-turn (reply generated, not yet stored): the client resumes on another node and the turn is done there, once', async () => {
    const doomed = cluster.node(0);
    const { client } = await connectTo(doomed, 'crash-mid');
    const greeting = await client.answer('Hello, I am Lin.', 'k-1');

    // hold the session row, so node-1's commit of the next turn waits inside the database: the reply is
    // generated (deltas sent), the lease is held, nothing of the turn is stored yet
    const blocker = await databaseClient(cluster.database);
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE', ['crash-mid']);
    const answer = 'I rebuilt our deploy pipeline; deploys went from 40 minutes to 6.';
    client.send({ type: 'text_input', id: 'k-2', data: { text: answer } });
    await client.next('ai_response_delta', (message) => message.reply_to === 'k-2');
    await doomed.kill();
    await blocker.query('ROLLBACK');
    await blocker.end();
    await client.closed;

    // the balancer sends the reconnection elsewhere; the client resumes and sends its unanswered input again
    const { client: resumed, connected } = await connectTo(cluster.node(1), 'crash-mid', greeting.seq);
    assert.equal(connected.data.last_seq, greeting.seq, 'the half-done turn left nothing behind');
    resumed.send({ type: 'text_input', id: 'k-2', data: { text: answer } });
    const redone = await resumed.next('ai_response', (message) => message.reply_to === 'k-2');
    assert.equal(redone.seq, (greeting.seq ?? 0) + 1);
    assert.equal(redone.data.turn, 2);
    const next = await resumed.answer('Next I would like to talk about testing.', 'k-3');
    assert.equal(next.data.turn, 3);
    resumed.close();

    const after = await stored(cluster, 'crash-mid');
    assert.deepEqual(after.answersPerInput, { 'k-1': 1, 'k-2': 1, 'k-3': 1 });
    assert.deepEqual(after.turns, [
      [1, 'k-1'],
      [2, 'k-2'],
      [3, 'k-3'],
    ]);
    assert.deepEqual(after.seqs, [1, 2, 3]);

    // the dead node and its connections leave the listings within a few heartbeats
    await eventually('node-1 is no longer listed', async () => {
      const stats = await api<{ nodes: Array<{ node: string }> }>(cluster.node(2), '/api/v1/websocket/stats');
      return !stats.body.nodes.some((node) => node.node === 'node-1');
    });
    const sessions = await api<{ sessions: Array<{ node: string }> }>(cluster.node(2), '/api/v1/websocket/sessions');
    assert.ok(!sessions.body.sessions.some((entry) => entry.node === 'node-1'));
  });

  it('right after an input was sent: the turn is either replayed or done on another node, never both', async () => {
    const doomed = cluster.node(1);
    const { client } = await connectTo(doomed, 'crash-fast');
    const greeting = await client.answer('Hello.', 'f-1');
    const answer = 'I led the migration from a monolith to services, one domain at a time.';
    client.send({ type: 'text_input', id: 'f-2', data: { text: answer } });
    await doomed.kill();
    await client.closed;

    const { client: resumed } = await connectTo(cluster.node(2), 'crash-fast', greeting.seq);
    resumed.send({ type: 'text_input', id: 'f-2', data: { text: answer } });
    const reply = await resumed.next('ai_response', (message) => message.reply_to === 'f-2');
    assert.equal(reply.seq, (greeting.seq ?? 0) + 1);
    // had the turn completed on node-2, the resume itself replayed it and the re-sent input replays it again
    const next = await resumed.answer('And then?', 'f-3');
    assert.equal(next.data.turn, 3);
    resumed.close();

    const after = await stored(cluster, 'crash-fast');
    assert.deepEqual(after.answersPerInput, { 'f-1': 1, 'f-2': 1, 'f-3': 1 });
    assert.deepEqual(after.seqs, [1, 2, 3]);
  });
});
