import type { Socket } from 'node:net';

/**
 * Below this many bytes a message in progress starts no deadline: small messages finish at once, and a
 * connection that only answers pings (a few bytes each, never a message) must not be taken for a stalled
 * upload. What such a connection can hold stays under this, times the connections per address.
 */
const DEADLINE_THRESHOLD_BYTES = 64 * 1024;

export type PartialMessageVerdict = 'over_budget' | 'too_slow';

/**
 * Memory held by inbound WebSocket messages that have begun and not ended, for the whole process. ws
 * keeps every fragment of a message until its last one (up to maxPayload) and offers no limit across
 * connections, so the gateway counts the bytes each socket delivers between two complete messages.
 */
export class InboundBudget {
  private held = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held now by unfinished messages across all connections. */
  get bytes(): number {
    return this.held;
  }

  /**
   * Starts counting one connection's socket. `onExceeded` is called once when its unfinished message
   * would take the process past the budget, or has not ended `deadlineMs` after passing the threshold.
   */
  meter(socket: Socket, deadlineMs: number, onExceeded: (verdict: PartialMessageVerdict) => void): PartialMessageMeter {
    return new PartialMessageMeter(this, socket, deadlineMs, onExceeded);
  }

  /** @internal */
  adjust(bytes: number): boolean {
    this.held += bytes;
    return this.held <= this.maxBytes;
  }
}

/**
 * One connection's count: bytes from the socket since its last complete message. It overcounts by at
 * most one socket read (a read can end one message and start the next) and counts control frames, which
 * are a few bytes; it never undercounts what ws holds.
 */
export class PartialMessageMeter {
  private pending = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly onData = (chunk: Buffer) => this.received(chunk.length);

  constructor(
    private readonly budget: InboundBudget,
    private readonly socket: Socket,
    private readonly deadlineMs: number,
    private readonly onExceeded: (verdict: PartialMessageVerdict) => void,
  ) {
    socket.on('data', this.onData);
  }

  /** A whole message arrived: what its fragments held is ws's no longer. */
  messageDone(): void {
    if (this.stopped) return;
    this.budget.adjust(-this.pending);
    this.pending = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The connection is closing: nothing it sends counts any more. */
  stop(): void {
    this.messageDone();
    this.stopped = true;
    this.socket.removeListener('data', this.onData);
  }

  private received(bytes: number): void {
    if (this.stopped) return;
    this.pending += bytes;
    if (!this.budget.adjust(bytes)) {
      this.exceeded('over_budget');
      return;
    }
    if (this.timer === undefined && this.pending > DEADLINE_THRESHOLD_BYTES) {
      this.timer = setTimeout(() => this.exceeded('too_slow'), this.deadlineMs);
      this.timer.unref();
    }
  }

  private exceeded(verdict: PartialMessageVerdict): void {
    this.stop();
    this.onExceeded(verdict);
  }
}
