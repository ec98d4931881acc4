import { randomBytes } from 'node:crypto';
import type { ConnectedSessionInfo } from '../../src/cluster/cluster-node.js';
import type { LocalConnections } from '../../src/cluster/local-cluster-node.js';
import type { ServerMessage } from '@viva/protocol/server-messages.js';

/** A gateway's connections, faked: which sessions are here, what each received, which were closed. */
export class FakeConnections implements LocalConnections {
  readonly received = new Map<string, ServerMessage[]>();
  readonly closed: Array<{ sessionId: string; keep: string }> = [];
  readonly connections = new Map<string, ConnectedSessionInfo>();
  readonly erased: string[] = [];

  constructor(private readonly node: string) {}

  add(sessionId: string): ConnectedSessionInfo {
    const now = new Date().toISOString();
    const info = { session_id: sessionId, connection_id: `${this.node}-${sessionId}-${randomBytes(3).toString('hex')}`, connected_at: now, last_activity_at: now, remote_address: '127.0.0.1', node: this.node };
    this.connections.set(sessionId, info);
    return info;
  }

  deliverNow(sessionId: string, message: ServerMessage): boolean {
    if (!this.connections.has(sessionId)) return false;
    this.received.set(sessionId, [...(this.received.get(sessionId) ?? []), message]);
    return true;
  }

  list(): ConnectedSessionInfo[] {
    return [...this.connections.values()];
  }

  stats() {
    return { connections_active: this.connections.size, messages_in: 0, messages_out: 0 };
  }

  closeSession(sessionId: string): void {
    if (this.connections.delete(sessionId)) this.erased.push(sessionId);
  }

  closeReplaced(sessionId: string, keepConnectionId: string): void {
    const info = this.connections.get(sessionId);
    if (info !== undefined && info.connection_id !== keepConnectionId) {
      this.connections.delete(sessionId);
      this.closed.push({ sessionId, keep: keepConnectionId });
    }
  }
}
