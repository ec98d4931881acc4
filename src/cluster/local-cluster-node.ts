import type { ServerMessage } from '@viva/protocol/server-messages.js';
import type { ClusterNode, ConnectedSessionInfo, NodeInfo } from './cluster-node.js';

/** What a cluster node reads from its own gateway: the live connections of this process. */
export interface LocalConnections {
  deliverNow(sessionId: string, message: ServerMessage): boolean;
  list(): ConnectedSessionInfo[];
  stats(): { connections_active: number; messages_in: number; messages_out: number };
  /** Closes this node's connection to the session (4001) unless it is `keepConnectionId`. */
  closeReplaced(sessionId: string, keepConnectionId: string): void;
  /** Closes this node's connection to the session with 1000, if it has one. */
  closeSession(sessionId: string, reason: string): void;
}

/** One process, no bus: a session's connection is here or nowhere. */
export class LocalClusterNode implements ClusterNode {
  private readonly startedAt = new Date().toISOString();

  constructor(
    readonly nodeId: string,
    private readonly local: LocalConnections,
  ) {}

  async start(): Promise<void> {}

  async deliver(sessionId: string, message: ServerMessage): Promise<boolean> {
    return this.local.deliverNow(sessionId, message);
  }

  async connectionOpened(): Promise<void> {}

  async connectionClosed(): Promise<void> {}

  async closeSession(sessionId: string, reason: string): Promise<void> {
    this.local.closeSession(sessionId, reason);
  }

  async connectedSessions(): Promise<ConnectedSessionInfo[]> {
    return this.local.list();
  }

  async nodes(): Promise<NodeInfo[]> {
    const now = new Date().toISOString();
    return [{ node: this.nodeId, started_at: this.startedAt, last_seen_at: now, ...this.local.stats() }];
  }

  async ping(): Promise<void> {}

  async stop(): Promise<void> {}
}
