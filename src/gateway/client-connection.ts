import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CloseCode } from '@viva/protocol/close-codes.js';
import type { ServerMessage } from '@viva/protocol/server-messages.js';
import { messageJson } from '@viva/protocol/message-json.js';
import type { ConnectedSessionInfo } from '../cluster/cluster-node.js';

export interface ConnectionLimits {
  /** Send buffer past which the client is too slow and is closed with 4002, bytes. */
  maxBufferedBytes: number;
}

export interface ConnectionEvents {
  messageOut(type: string): void;
  /** A configured limit closed the connection (for metrics). */
  limitHit(limit: string): void;
}

/**
 * One client's WebSocket, with what the gateway tracks about it: its session, when it was last heard
 * from, and its outbound buffer. While it is being resumed, live messages are held back so that the
 * replay and the live stream reach the client in seq order, without duplicates.
 */
export class ClientConnection {
  readonly id = randomUUID();
  /** Milliseconds (Date.now()) when it opened; numbers rather than Dates, a few bytes less per idle connection. */
  readonly connectedAtMs = Date.now();
  /** Milliseconds (Date.now()) when the client last sent a message. */
  lastActivityAtMs = this.connectedAtMs;
  /** Whether the client has sent any message (one that never does is closed after IDLE_CONNECT_TIMEOUT_MS). */
  spoke = false;
  /** Milliseconds (Date.now()) when anything last arrived: a message or a pong. */
  lastHeardAt = Date.now();
  lastPingAt = 0;
  closed = false;
  private corked: boolean;
  private held: ServerMessage[] | null = null;

  /**
   * @param handshakeCorked the gateway corked the socket before the handshake, so that its `101` leaves with
   *   `connected` (see `releaseHandshake`); that cork is this connection's to undo.
   */
  constructor(
    readonly socket: WebSocket,
    readonly sessionId: string,
    readonly remoteAddress: string,
    private readonly limits: ConnectionLimits,
    private readonly events: ConnectionEvents,
    handshakeCorked = false,
  ) {
    this.corked = handshakeCorked;
  }

  heard(): void {
    this.lastHeardAt = Date.now();
  }

  /** A message arrived: heard from, active, and no longer a connection that never spoke. */
  messageReceived(): void {
    this.lastHeardAt = Date.now();
    this.lastActivityAtMs = this.lastHeardAt;
    this.spoke = true;
  }

  /** The connection as the cluster lists it: presence, and the management API's connected sessions. */
  describe(node: string): ConnectedSessionInfo {
    return {
      session_id: this.sessionId,
      connection_id: this.id,
      connected_at: new Date(this.connectedAtMs).toISOString(),
      last_activity_at: new Date(this.lastActivityAtMs).toISOString(),
      remote_address: this.remoteAddress,
      node,
    };
  }

  /** Sends now, or holds the message while a replay is being sent. */
  deliver(message: ServerMessage): boolean {
    if (this.closed) return false;
    if (this.held !== null) {
      this.held.push(message);
      return true;
    }
    return this.send(message);
  }

  /** Sends at once, bypassing the hold (for `connected` and replays). */
  send(message: ServerMessage): boolean {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return false;
    // a client that does not read lets the buffer grow; past the limit it is cut off so that one slow
    // reader cannot grow the server's memory without bound
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.events.limitHit('send_buffer');
      this.close(CloseCode.TOO_SLOW, 'too slow to read; reconnect and resume');
      return false;
    }
    this.coalesceWrites();
    this.socket.send(messageJson(message));
    this.events.messageOut(message.type);
    // a durable message (the reply) ends what a turn sends, and `connected` is what the client waits for:
    // both leave now, with whatever is corked before them, instead of at the next turn of the loop
    if (message.seq !== undefined || message.type === 'connected') this.writeCorked();
    return true;
  }

  /**
   * A turn sends several frames in one go (status, deltas, the reply). Corking the TCP socket until the
   * event loop turns lets them leave in one write instead of one system call each. `_socket` is ws's
   * own reference to the net.Socket; ws corks per frame itself, and corks nest.
   *
   * The uncork waits for the loop's check phase (setImmediate). A frame sent from inside that phase (the
   * reply, sent once the group commit that runs there has stored it) would wait a whole loop turn more,
   * behind every other connection's input: `writeCorked` sends those at once.
   */
  private coalesceWrites(): void {
    if (this.corked) return;
    const raw = this.rawSocket();
    if (raw === undefined || raw.destroyed) return;
    raw.cork();
    this.corked = true;
    setImmediate(() => this.writeCorked());
  }

  /**
   * Sends whatever the handshake's cork still holds: the `101` and any frame written before `connected`
   * (an error, a close). `connected` releases it itself; the gateway calls this once opening the session
   * has ended either way, so no path leaves the handshake unsent.
   */
  releaseHandshake(): void {
    this.writeCorked();
  }

  /** Uncorks what coalesceWrites corked, if it still is (uncorking twice would undo one of ws's own corks). */
  private writeCorked(): void {
    if (!this.corked) return;
    this.corked = false;
    const raw = this.rawSocket();
    if (raw !== undefined && !raw.destroyed) raw.uncork();
  }

  private rawSocket(): Socket | undefined {
    return (this.socket as unknown as { _socket?: Socket })._socket;
  }

  holdLiveMessages(): void {
    this.held ??= [];
  }

  /** Sends what was held, skipping durable messages the replay already carried. */
  releaseLiveMessages(replayedUpTo: number): void {
    const held = this.held ?? [];
    this.held = null;
    for (const message of held) {
      if (message.seq !== undefined && message.seq <= replayedUpTo) continue;
      this.send(message);
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.held = null;
    try {
      this.socket.close(code, reason);
      // the close frame leaves now, with anything corked before it (the handshake, a turn's frames)
      this.writeCorked();
    } catch {
      this.socket.terminate();
      return;
    }
    // a peer that does not read will never answer the close frame: do not wait for it forever
    const timer = setTimeout(() => this.socket.terminate(), 2_000);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }
}
