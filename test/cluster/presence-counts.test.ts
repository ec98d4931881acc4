import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { ConnectedSessionInfo } from '../../src/cluster/cluster-node.js';
import type { LocalConnections } from '../../src/cluster/local-cluster-node.js';
import { redisKeys } from '../../src/cluster/redis-keys.js';
import { RedisPresence } from '../../src/cluster/redis-presence.js';
import { createLogger } from '../../src/observability/logger.js';

/** A node's own connections, as its gateway would report them. */
function localConnections(list: ConnectedSessionInfo[]): LocalConnections {
  return {
    deliverNow: () => false,
    list: () => list,
    stats: () => ({ connections_active: list.length, messages_in: 0, messages_out: 0 }),
    closeReplaced: () => undefined,
    closeSession: () => undefined,
  };
}

/**
 * Issue 10, item 9: /websocket/stats counts another node's connections from what it lists at claim and
 * release, so the figures agree at once (not a heartbeat later) and never show more sessions than
 * connections.
 */
describe('cluster presence counts', () => {
  const keys = redisKeys(`viva-test-${randomUUID()}:`);
  const logger = createLogger('silent');
  let redisA: Redis;
  let redisB: Redis;
  let nodeA: RedisPresence;
  let nodeB: RedisPresence;
  const listA: ConnectedSessionInfo[] = [];
  before(async () => {
    redisA = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
    redisB = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
    await Promise.all([redisA.connect(), redisB.connect()]);
    // heartbeats far apart: what B knows of A comes from A's claims, not from A's heartbeat
    nodeA = new RedisPresence(redisA, keys, localConnections(listA), { nodeId: 'node-a', heartbeatMs: 60_000, logger });
    nodeB = new RedisPresence(redisB, keys, localConnections([]), { nodeId: 'node-b', heartbeatMs: 60_000, logger });
    await Promise.all([nodeA.start(), nodeB.start()]);
  });
  after(async () => {
    await Promise.all([nodeA.stop(), nodeB.stop()]);
    redisA.disconnect();
    redisB.disconnect();
  });

  it('agrees with the session list right after connections are claimed and released', async () => {
    for (const index of [1, 2, 3]) {
      const info: ConnectedSessionInfo = {
        session_id: `s-${index}`,
        connection_id: `c-${index}`,
        connected_at: new Date().toISOString(),
        last_activity_at: new Date().toISOString(),
        remote_address: '127.0.0.1',
        node: 'node-a',
      };
      listA.push(info);
      await nodeA.claim(info);
    }
    const seen = async () => {
      const [nodes, sessions] = await Promise.all([nodeB.nodes(), nodeB.remoteSessions()]);
      return { connections: nodes.find((node) => node.node === 'node-a')?.connections_active, sessions: sessions.length };
    };
    assert.deepEqual(await seen(), { connections: 3, sessions: 3 });
    await nodeA.release('s-2', 'c-2');
    assert.deepEqual(await seen(), { connections: 2, sessions: 2 });
  });
});
