import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerMessage } from '@viva/protocol/server-messages.js';
import type { TestClient } from '../helpers/test-client.js';
import type { VivaProcess } from '../helpers/viva-process.js';
import { api, clusterSkipReason, connectTo, databaseClient, eventually, OwnRedisServer, startCluster, type TestCluster } from './cluster-harness.js';

// this file runs its own redis-server (the machine's Redis is never stopped); it needs PostgreSQL only
const skip = await clusterSkipReason();

interface Acknowledged {
  sessionId: string;
  inputId: string;
  seq: number;
}

async function readiness(node: VivaProcess): Promise<{ status: number; bus: string }> {
  const answer = await api<{ bus: string }>(node, '/ready');
  return { status: answer.status, bus: answer.body.bus };
}

/** Waits for the answer (`ai_response` or `error`) to one input, by its id, straight off the socket. */
function answers(client: TestClient): (inputId: string) => Promise<ServerMessage> {
  const waiting = new Map<string, (message: ServerMessage) => void>();
  client.socket.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString()) as ServerMessage;
    if ((message.type !== 'ai_response' && message.type !== 'error') || message.reply_to === undefined) return;
    waiting.get(message.reply_to)?.(message);
    waiting.delete(message.reply_to);
  });
  return (inputId) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${inputId}`)), 15_000);
      waiting.set(inputId, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
}

/**
 * One candidate in a closed loop, as the benchmark does: connect to the next node, five answers (each
 * waits for its reply), close, next session. A retryable error (Redis down) is answered by sending the
 * same input again, with the same id, after a short pause.
 */
async function candidate(cluster: TestCluster, index: number, stop: () => boolean, acknowledged: Acknowledged[], errors: string[]): Promise<void> {
  for (let round = 0; !stop(); round += 1) {
    const sessionId = `load-${index}-${round}`;
    const { client } = await connectTo(cluster.node((index + round) % 3), sessionId);
    const answerTo = answers(client);
    for (let turn = 0; turn < 5 && !stop(); turn += 1) {
      const inputId = `${sessionId}-t${turn}`;
      for (;;) {
        const outcome = answerTo(inputId);
        client.send({ type: 'text_input', id: inputId, data: { text: `Answer ${turn}: I designed the retry logic of our payment queue.` } });
        const message = await outcome;
        if (message.type === 'ai_response') {
          acknowledged.push({ sessionId, inputId, seq: message.seq ?? -1 });
          break;
        }
        if (message.type !== 'error' || !message.data.retryable) throw new Error(`not retryable: ${JSON.stringify(message)}`);
        errors.push(message.data.code);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    client.close();
    await client.closed;
  }
}

describe('Redis restarted under load', { skip }, () => {
  let redis: OwnRedisServer;
  let cluster: TestCluster;

  before(async () => {
    redis = await OwnRedisServer.start();
    cluster = await startCluster(3, { redisUrl: redis.url });
  });

  after(async () => {
    await cluster?.stop();
    await redis?.kill();
  });

  it('/ready is 503 while Redis is down and 200 once it is back; every acknowledged turn is in PostgreSQL', async () => {
    for (const node of cluster.nodes) assert.deepEqual(await readiness(node), { status: 200, bus: 'ok' });

    const acknowledged: Acknowledged[] = [];
    const errors: string[] = [];
    let stopping = false;
    const failures: unknown[] = [];
    const loops = Array.from({ length: 6 }, (_, index) =>
      candidate(cluster, index, () => stopping, acknowledged, errors).catch((error: unknown) => failures.push(error)),
    );
    await eventually('some turns are done', async () => acknowledged.length >= 12);

    await redis.kill();
    const beforeOutage = acknowledged.length;
    for (const node of cluster.nodes) {
      await eventually(`${node.baseUrl} reports not ready`, async () => (await readiness(node)).status === 503, 5_000);
      assert.deepEqual(await readiness(node), { status: 503, bus: 'unreachable' });
    }
    // inputs during the outage get a retryable error promptly, they do not hang
    await eventually('inputs are refused while Redis is down', async () => errors.length >= 3, 5_000);

    await redis.restart();
    for (const node of cluster.nodes) {
      await eventually(`${node.baseUrl} is ready again`, async () => (await readiness(node)).status === 200, 10_000);
    }
    await eventually('turns go on after the restart', async () => acknowledged.length >= beforeOutage + 12, 15_000);
    stopping = true;
    await Promise.all(loops);
    assert.deepEqual(failures, []);
    // the outage is reported as what it is: a retryable error, never a hang or a non-retryable one
    assert.deepEqual([...new Set(errors)], ['INTERNAL_ERROR']);

    // every reply a client received is stored, exactly once, with the seq the client saw
    const database = await databaseClient(cluster.database);
    try {
      const { rows } = await database.query<{ session_id: string; reply_to: string; seq: string }>(
        "SELECT session_id, reply_to, seq FROM messages WHERE type = 'ai_response' AND session_id LIKE 'load-%'",
      );
      const stored = new Map(rows.map((row) => [`${row.session_id}/${row.reply_to}`, Number(row.seq)]));
      assert.equal(stored.size, rows.length, 'no input answered twice');
      for (const entry of acknowledged) {
        assert.equal(stored.get(`${entry.sessionId}/${entry.inputId}`), entry.seq, `${entry.inputId} is stored`);
      }
      const turns = await database.query<{ session_id: string; turns: number; max_turn: number }>(
        "SELECT session_id, count(*)::integer AS turns, max(turn) AS max_turn FROM turns WHERE session_id LIKE 'load-%' GROUP BY session_id",
      );
      for (const row of turns.rows) assert.equal(row.turns, row.max_turn, `${row.session_id}: turns are gap-free`);
    } finally {
      await database.end();
    }

    // presence came back with Redis: a broadcast from one node reaches candidates on all three
    const clients: TestClient[] = [];
    for (const index of [0, 1, 2]) clients.push((await connectTo(cluster.node(index), `after-${index}`)).client);
    await eventually('every node lists the new connections', async () => {
      const listed = await api<{ total: number }>(cluster.node(0), '/api/v1/websocket/sessions');
      return listed.body.total === clients.length;
    });
    const broadcast = await api<{ recipients: number }>(cluster.node(2), '/api/v1/websocket/broadcast', {
      method: 'POST',
      body: { message: 'Back to normal.' },
    });
    assert.equal(broadcast.body.recipients, clients.length);
    for (const client of clients) {
      assert.equal((await client.next('notice')).data.message, 'Back to normal.');
      client.close();
    }
  });
});
