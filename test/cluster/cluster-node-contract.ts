import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ClusterNode } from '../../src/cluster/cluster-node.js';
import type { LocalConnections } from '../../src/cluster/local-cluster-node.js';
import { serverMessage, type ServerMessage } from '@viva/protocol/server-messages.js';
import { FakeConnections } from './fake-connections.js';

/**
 * Makes a ClusterNode, not started, for `nodeId` over this gateway's `local` connections. Each test gets
 * a node of its own (a fresh Redis key prefix, for the Redis node), starts it and stops it.
 */
export type MakeClusterNode = (nodeId: string, local: LocalConnections) => Promise<ClusterNode>;

export interface ClusterNodeContractOptions {
  /** Why the suite cannot run here (e.g. Redis is not reachable), or false. */
  skip?: string | false;
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function notice(sessionId: string, index: number): ServerMessage {
  return serverMessage('notice', sessionId, { message: `n${index}`, from: 'system' as const });
}

/**
 * The one suite every ClusterNode runs (as test/storage/session-store-contract.ts is for the stores): what
 * the gateway relies on from a node whether the cluster is one process or many. What needs several nodes
 * (delivery across nodes, 4001 on another node) is the Redis node's own test; here one node and its own
 * connections must behave the same in both implementations.
 */
export function runClusterNodeContract(name: string, make: MakeClusterNode, options: ClusterNodeContractOptions = {}): void {
  async function withNode(run: (node: ClusterNode, local: FakeConnections) => Promise<void>): Promise<void> {
    const nodeId = `contract-${randomBytes(4).toString('hex')}`;
    const local = new FakeConnections(nodeId);
    const node = await make(nodeId, local);
    await node.start();
    try {
      await run(node, local);
    } finally {
      await node.stop();
    }
  }

  describe(`ClusterNode contract: ${name}`, { skip: options.skip ?? false }, () => {
    it('starts, answers ping while running, and keeps the id it was given', async () => {
      await withNode(async (node) => {
        assert.match(node.nodeId, /^contract-/);
        await node.ping();
      });
    });

    it('delivers to a session connected here, in the order sent, and says false for a session connected nowhere', async () => {
      await withNode(async (node, local) => {
        await node.connectionOpened(local.add('s-here'));
        // fired without waiting, as the coordinator sends deltas
        const sends = Array.from({ length: 20 }, (_, index) => node.deliver('s-here', notice('s-here', index)));
        assert.deepEqual(await Promise.all(sends), Array.from({ length: 20 }, () => true));
        assert.deepEqual(
          local.received.get('s-here')?.map((message) => (message.data as { message: string }).message),
          Array.from({ length: 20 }, (_, index) => `n${index}`),
        );
        assert.equal(await node.deliver('s-nowhere', notice('s-nowhere', 0)), false);
        assert.equal(local.received.has('s-nowhere'), false);
      });
    });

    it("lists this node's connections, and no longer one that closed", async () => {
      await withNode(async (node, local) => {
        await node.connectionOpened(local.add('s-one'));
        await node.connectionOpened(local.add('s-two'));
        const listed = await node.connectedSessions();
        const ours = listed.filter((entry) => entry.node === node.nodeId);
        assert.deepEqual(ours.map((entry) => entry.session_id).sort(), ['s-one', 's-two']);
        for (const entry of ours) assert.match(entry.connected_at, isoTimestamp);

        const closing = local.connections.get('s-one');
        assert.ok(closing);
        local.connections.delete('s-one');
        await node.connectionClosed('s-one', closing.connection_id);
        const after = (await node.connectedSessions()).filter((entry) => entry.node === node.nodeId);
        assert.deepEqual(after.map((entry) => entry.session_id), ['s-two']);
      });
    });

    it('closeSession closes the connection held here', async () => {
      await withNode(async (node, local) => {
        await node.connectionOpened(local.add('s-erased'));
        await node.closeSession('s-erased', 'session erased');
        assert.deepEqual(local.erased, ['s-erased']);
        assert.equal(await node.deliver('s-erased', notice('s-erased', 1)), false);
      });
    });

    it("nodes() names this node with its live connection count", async () => {
      await withNode(async (node, local) => {
        await node.connectionOpened(local.add('s-counted'));
        const self = (await node.nodes()).find((entry) => entry.node === node.nodeId);
        assert.ok(self, 'this node is listed');
        assert.equal(self.connections_active, 1);
        assert.match(self.started_at, isoTimestamp);
        assert.match(self.last_seen_at, isoTimestamp);
      });
    });
  });
}
