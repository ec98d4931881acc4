import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { LocalConnections } from '../../src/cluster/local-cluster-node.js';
import { RedisClusterNode } from '../../src/cluster/redis-cluster-node.js';
import { serverMessage, type ServerMessage } from '@viva/protocol/server-messages.js';
import { isVivaError } from '@viva/protocol/viva-error.js';
import { clusterSkipReason, deleteKeys, eventually, sharedRedisUrl } from './cluster-harness.js';
import { runClusterNodeContract } from './cluster-node-contract.js';
import { FakeConnections } from './fake-connections.js';
import { runSessionLeasesContract } from './session-leases-contract.js';

const skip = await clusterSkipReason();
const logger = pino({ level: 'silent' });

const prefix = `viva-test-${randomBytes(4).toString('hex')}:`;
const started: RedisClusterNode[] = [];

async function startNode(nodeId: string, local: FakeConnections, overrides: { redisUrl?: string; leaseTtlMs?: number; leaseWaitMs?: number } = {}) {
  const node = new RedisClusterNode(local, {
    nodeId,
    redisUrl: overrides.redisUrl ?? sharedRedisUrl,
    keyPrefix: prefix,
    leaseTtlMs: overrides.leaseTtlMs ?? 1_000,
    leaseWaitMs: overrides.leaseWaitMs ?? 3_000,
    heartbeatMs: 200,
    logger,
  });
  await node.start();
  started.push(node);
  return node;
}

function notice(sessionId: string, index: number): ServerMessage {
  return serverMessage('notice', sessionId, { message: `n${index}`, from: 'system' as const });
}

describe('RedisClusterNode (in process, two nodes on one Redis)', { skip }, () => {
  after(async () => {
    await Promise.allSettled(started.map((node) => node.stop()));
    await deleteKeys(sharedRedisUrl, prefix);
  });

  it('delivers a session connected on another node, in the order the messages were sent', async () => {
    const here = new FakeConnections('a');
    const there = new FakeConnections('b');
    const nodeA = await startNode('a', here);
    const nodeB = await startNode('b', there);
    await nodeB.connectionOpened(there.add('s-order'));

    // fired without waiting, as the coordinator sends deltas: they still arrive in order
    const sends = Array.from({ length: 200 }, (_, index) => nodeA.deliver('s-order', notice('s-order', index)));
    assert.ok((await Promise.all(sends)).every(Boolean));
    await eventually('every message arrived', async () => (there.received.get('s-order')?.length ?? 0) === 200, 5_000);
    assert.deepEqual(
      there.received.get('s-order')?.map((message) => (message.data as { message: string }).message),
      Array.from({ length: 200 }, (_, index) => `n${index}`),
    );
    // nobody holds this one
    assert.equal(await nodeA.deliver('s-nobody', notice('s-nobody', 0)), false);

    // a newer connection on node a replaces node b's (4001 in a real gateway)
    const newer = here.add('s-order');
    await nodeA.connectionOpened(newer);
    await eventually('node b closed its older connection', async () => there.closed.length === 1, 5_000);
    assert.deepEqual(there.closed, [{ sessionId: 's-order', keep: newer.connection_id }]);
    const sessions = await nodeB.connectedSessions();
    assert.deepEqual(
      sessions.filter((entry) => entry.session_id === 's-order').map((entry) => entry.node),
      ['a'],
    );
    const nodes = await nodeB.nodes();
    assert.deepEqual(
      nodes.map((node) => node.node),
      ['a', 'b'],
    );

    // an erased session's connection is closed on the node that holds it
    await nodeB.connectionOpened(there.add('s-erase'));
    await nodeA.closeSession('s-erase', 'session erased');
    await eventually('node b closed the erased session', async () => there.erased.includes('s-erase'), 5_000);
  });

  it('leases: one node at a time per session; a waiter past LEASE_WAIT_MS gets BUSY; a dead holder expires', async () => {
    const nodeC = await startNode('c', new FakeConnections('c'), { leaseTtlMs: 600, leaseWaitMs: 3_000 });
    const nodeD = await startNode('d', new FakeConnections('d'), { leaseTtlMs: 600, leaseWaitMs: 200 });

    // c holds the lease past its TTL (renewal keeps it) while d waits only 200 ms
    const order: string[] = [];
    let releaseC: () => void = () => undefined;
    const holding = nodeC.leases.withLease('s-lease', async () => {
      order.push('c start');
      await new Promise<void>((resolve) => {
        releaseC = resolve;
      });
      order.push('c end');
    });
    await eventually('c holds the lease', async () => order.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await assert.rejects(
      nodeD.leases.withLease('s-lease', async () => order.push('d')),
      (error: unknown) => isVivaError(error, 'BUSY') && error.retryable,
    );

    // with a longer wait the second node runs right after the first, never during it
    const nodeE = await startNode('e', new FakeConnections('e'), { leaseTtlMs: 600, leaseWaitMs: 3_000 });
    const waiting = nodeE.leases.withLease('s-lease', async () => order.push('e'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    releaseC();
    await holding;
    await waiting;
    assert.deepEqual(order, ['c start', 'c end', 'e']);

    // a holder that died (a lease nobody renews) blocks only until its TTL runs out
    const raw = new Redis(sharedRedisUrl);
    try {
      await raw.set(`${prefix}lease:s-dead`, 'crashed-node/token', 'PX', 500);
    } finally {
      raw.disconnect();
    }
    const startedAt = Date.now();
    await nodeE.leases.withLease('s-dead', async () => undefined);
    const waited = Date.now() - startedAt;
    assert.ok(waited >= 300 && waited < 2_000, `waited ${waited} ms`);
  });

  it('with Redis unreachable a lease fails at once with a retryable error and ping rejects', async () => {
    const local = new FakeConnections('f');
    // a node that never started talks to a Redis that is not there
    const node = new RedisClusterNode(local, {
      nodeId: 'f',
      redisUrl: 'redis://127.0.0.1:1',
      keyPrefix: prefix,
      leaseTtlMs: 1_000,
      leaseWaitMs: 1_000,
      heartbeatMs: 200,
      startTimeoutMs: 300,
      logger,
    });
    await assert.rejects(node.start(), /did not answer/);
    const startedAt = Date.now();
    await assert.rejects(
      node.leases.withLease('s', async () => undefined),
      (error: unknown) => isVivaError(error, 'INTERNAL_ERROR') && error.retryable,
    );
    await assert.rejects(node.ping());
    assert.ok(Date.now() - startedAt < 1_000);
    // delivery to a session here still works without Redis
    local.add('s-local');
    assert.equal(await node.deliver('s-local', notice('s-local', 1)), true);
    await node.stop();
  });
});

// the contracts every implementation passes (test/cluster/local-cluster-node.test.ts runs them for one
// process); each node gets a key prefix of its own, removed after the run
const contractPrefixes: string[] = [];
const contractNodes: RedisClusterNode[] = [];

function contractNode(nodeId: string, local: LocalConnections, leaseWaitMs = 3_000): RedisClusterNode {
  const keyPrefix = `viva-test-${randomBytes(4).toString('hex')}:`;
  contractPrefixes.push(keyPrefix);
  const node = new RedisClusterNode(local, { nodeId, redisUrl: sharedRedisUrl, keyPrefix, leaseTtlMs: 1_000, leaseWaitMs, heartbeatMs: 200, logger });
  contractNodes.push(node);
  return node;
}

describe('RedisClusterNode contracts', { skip }, () => {
  after(async () => {
    await Promise.allSettled(contractNodes.map((node) => node.stop()));
    await Promise.allSettled(contractPrefixes.map((keyPrefix) => deleteKeys(sharedRedisUrl, keyPrefix)));
  });

  runClusterNodeContract('RedisClusterNode', async (nodeId, local) => contractNode(nodeId, local), { skip });
  runSessionLeasesContract(
    'RedisSessionLeases',
    async () => {
      const node = contractNode(`leases-${randomBytes(3).toString('hex')}`, new FakeConnections('leases'));
      await node.start();
      return node.leases;
    },
    { exclusive: true, skip },
  );
});
