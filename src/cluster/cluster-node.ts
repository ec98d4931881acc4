import type { SessionMessageSink } from '../interview/message-sink.js';
import type { InterviewStatus } from '@viva/protocol/interview-schemas.js';

/** A connected session as the management API lists it (docs/protocol.md §7). */
export interface ConnectedSessionInfo {
  session_id: string;
  connection_id: string;
  connected_at: string;
  last_activity_at: string;
  remote_address: string;
  node: string;
  interview?: InterviewStatus | undefined;
}

export interface NodeInfo {
  node: string;
  connections_active: number;
  started_at: string;
  last_seen_at: string;
  messages_in: number;
  messages_out: number;
}

/**
 * What the gateway needs from the cluster, whether it is one process or many: delivering a session's
 * messages wherever its connection lives, telling the other nodes about connections, and listing every
 * node's sessions. `LocalClusterNode` is the single-process implementation; `RedisClusterNode` spans nodes.
 */
export interface ClusterNode extends SessionMessageSink {
  readonly nodeId: string;
  start(): Promise<void>;
  /** A connection to the session opened here; other nodes close their older one (4001). */
  connectionOpened(info: ConnectedSessionInfo): Promise<void>;
  connectionClosed(sessionId: string, connectionId: string): Promise<void>;
  connectedSessions(): Promise<ConnectedSessionInfo[]>;
  /** Closes the session's live connection wherever it is (1000), e.g. after the session was erased. */
  closeSession(sessionId: string, reason: string): Promise<void>;
  nodes(): Promise<NodeInfo[]>;
  /** Resolves when the cluster's backing service answers (for /ready); rejects when it does not. */
  ping(): Promise<void>;
  stop(): Promise<void>;
}
