import type { SessionMessageSink } from '../interview/message-sink.js';
import type { ServerMessage } from '@viva/protocol/server-messages.js';
import type { ClientConnection } from './client-connection.js';

/**
 * The live connections of this node, one per session. It is the local message sink: a session's
 * messages go to its connection here, if it has one.
 */
export class ConnectionRegistry implements SessionMessageSink {
  private readonly bySession = new Map<string, ClientConnection>();
  private readonly all = new Set<ClientConnection>();
  private readonly perAddress = new Map<string, number>();

  /**
   * Counts an accepted connection (against its address, for the per-address limit) before its session
   * is open: opening waits on the store, and upgrades arriving meanwhile must see it counted.
   */
  admit(connection: ClientConnection): void {
    if (this.all.has(connection)) return;
    this.all.add(connection);
    this.perAddress.set(connection.remoteAddress, this.countFrom(connection.remoteAddress) + 1);
  }

  /** Makes `connection` the session's live one; returns the one it replaces, if any. */
  attach(connection: ClientConnection): ClientConnection | undefined {
    this.admit(connection);
    const previous = this.bySession.get(connection.sessionId);
    this.bySession.set(connection.sessionId, connection);
    return previous === connection ? undefined : previous;
  }

  detach(connection: ClientConnection): void {
    if (this.all.delete(connection)) {
      const remaining = this.countFrom(connection.remoteAddress) - 1;
      if (remaining > 0) this.perAddress.set(connection.remoteAddress, remaining);
      else this.perAddress.delete(connection.remoteAddress);
    }
    if (this.bySession.get(connection.sessionId) === connection) this.bySession.delete(connection.sessionId);
  }

  get(sessionId: string): ClientConnection | undefined {
    return this.bySession.get(sessionId);
  }

  deliverNow(sessionId: string, message: ServerMessage): boolean {
    return this.bySession.get(sessionId)?.deliver(message) ?? false;
  }

  deliver(sessionId: string, message: ServerMessage): Promise<boolean> {
    return Promise.resolve(this.deliverNow(sessionId, message));
  }

  connections(): IterableIterator<ClientConnection> {
    return this.all.values();
  }

  sessions(): IterableIterator<ClientConnection> {
    return this.bySession.values();
  }

  get size(): number {
    return this.all.size;
  }

  get sessionCount(): number {
    return this.bySession.size;
  }

  /** Connections per remote address, for the per-address limit. */
  countFrom(remoteAddress: string): number {
    return this.perAddress.get(remoteAddress) ?? 0;
  }
}
