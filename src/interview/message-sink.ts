import type { ServerMessage } from '@viva/protocol/server-messages.js';

/**
 * Where the coordinator sends a session's messages: to the session's live connection, on this node or,
 * in cluster mode, on another. Implemented by the gateway's connection registry and the cluster bus.
 */
export interface SessionMessageSink {
  /** Resolves true when a live connection took the message, false when the session has none. */
  deliver(sessionId: string, message: ServerMessage): Promise<boolean>;
}
