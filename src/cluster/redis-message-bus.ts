import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServerMessage } from '@viva/protocol/server-messages.js';
import type { LocalConnections } from './local-cluster-node.js';
import type { RedisKeys } from './redis-keys.js';
import type { RedisPresence, ReplaceNotice } from './redis-presence.js';

/** Messages for one session's connection on the receiving node, in order. */
interface DeliverNotice {
  kind: 'deliver';
  session_id: string;
  messages: ServerMessage[];
}

/** Close the session's connection on the receiving node (the session was erased). */
interface CloseNotice {
  kind: 'close';
  session_id: string;
  reason: string;
}

type InboxNotice = DeliverNotice | ReplaceNotice | CloseNotice;

interface Pending {
  message: ServerMessage;
  resolve: (delivered: boolean) => void;
}

/**
 * Node-to-node delivery over Redis pub/sub. Every node subscribes to its own inbox channel; a message for
 * a session whose connection is on another node is published there, and that node hands it to the
 * connection. Pub/sub is fire-and-forget, which is enough: durable messages are stored before they are
 * sent, so one lost in flight (node or Redis gone) reaches the client on resume.
 *
 * Order: a session's outgoing messages go through one queue per session here. While one batch is being
 * located and published, later messages wait and go out as the next batch, and all publishing uses one
 * Redis connection, whose commands Redis runs in the order they were sent. So a session's messages sent
 * from this node arrive in the order the coordinator produced them.
 */
export class RedisMessageBus {
  private readonly outboxes = new Map<string, Pending[]>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    private readonly presence: RedisPresence,
    private readonly local: LocalConnections,
    private readonly options: { nodeId: string; logger: Logger },
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, payload: string) => {
      if (channel === this.keys.nodeInbox(this.options.nodeId)) this.receive(payload);
    });
    await this.subscriber.subscribe(this.keys.nodeInbox(this.options.nodeId));
  }

  async stop(): Promise<void> {
    await this.subscriber.unsubscribe(this.keys.nodeInbox(this.options.nodeId));
  }

  /**
   * Sends a message to the session's connection on another node. Resolves true when the node that holds
   * it received the message, false when no live node holds one or Redis is unreachable; never rejects.
   */
  sendRemote(sessionId: string, message: ServerMessage): Promise<boolean> {
    return new Promise((resolve) => {
      const queue = this.outboxes.get(sessionId);
      if (queue !== undefined) {
        queue.push({ message, resolve });
        return;
      }
      const fresh: Pending[] = [{ message, resolve }];
      this.outboxes.set(sessionId, fresh);
      void this.flush(sessionId, fresh);
    });
  }

  /** Asks the node holding the session's connection, if another one, to close it. Never rejects. */
  async closeRemote(sessionId: string, reason: string): Promise<void> {
    try {
      const node = await this.presence.locate(sessionId);
      if (node === null || node === this.options.nodeId) return;
      const notice: CloseNotice = { kind: 'close', session_id: sessionId, reason };
      await this.publisher.publish(this.keys.nodeInbox(node), JSON.stringify(notice));
    } catch (error) {
      this.options.logger.debug({ err: error instanceof Error ? error.message : String(error), session_id: sessionId }, 'cross-node close failed');
    }
  }

  private async flush(sessionId: string, queue: Pending[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      const delivered = await this.publish(sessionId, batch.map((pending) => pending.message));
      for (const pending of batch) pending.resolve(delivered);
    }
    this.outboxes.delete(sessionId);
  }

  private async publish(sessionId: string, messages: ServerMessage[]): Promise<boolean> {
    try {
      const node = await this.presence.locate(sessionId);
      // listed under this node but not connected here: the connection closed a moment ago
      if (node === null || node === this.options.nodeId) return false;
      const notice: DeliverNotice = { kind: 'deliver', session_id: sessionId, messages };
      const receivers = await this.publisher.publish(this.keys.nodeInbox(node), JSON.stringify(notice));
      return receivers > 0;
    } catch (error) {
      this.options.logger.debug({ err: error instanceof Error ? error.message : String(error), session_id: sessionId }, 'cross-node delivery failed');
      return false;
    }
  }

  private receive(payload: string): void {
    let notice: InboxNotice;
    try {
      notice = JSON.parse(payload) as InboxNotice;
    } catch {
      this.options.logger.warn('unreadable message on the node inbox');
      return;
    }
    if (notice.kind === 'deliver') {
      for (const message of notice.messages) this.local.deliverNow(notice.session_id, message);
    } else if (notice.kind === 'replace') {
      this.local.closeReplaced(notice.session_id, notice.keep_connection_id);
    } else if (notice.kind === 'close') {
      this.local.closeSession(notice.session_id, notice.reason);
    }
  }
}
