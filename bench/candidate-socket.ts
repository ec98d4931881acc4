import WebSocket from 'ws';
import type { TurnOutcome, TurnProtocol } from './turn-protocols.js';

/** A failure of the client's own waiting: named, so the bench can count them by kind. */
export class CandidateFailure extends Error {
  constructor(readonly kind: 'connect_failed' | 'connect_timeout' | 'turn_timeout' | 'closed_early') {
    super(kind);
  }
}

interface Waiter {
  match(frame: string): TurnOutcome | undefined;
  resolve(outcome: TurnOutcome): void;
  reject(error: CandidateFailure): void;
  timer: NodeJS.Timeout;
}

/**
 * One simulated candidate's connection: at most one thing awaited at a time (the closed loop never
 * pipelines), every wait bounded by a timeout.
 */
export class CandidateSocket {
  private waiter: Waiter | undefined;

  private constructor(
    private readonly socket: WebSocket,
    private readonly protocol: TurnProtocol,
  ) {
    socket.on('message', (data: WebSocket.RawData) => {
      const waiter = this.waiter;
      if (!waiter) return;
      const outcome = waiter.match(frameText(data));
      if (outcome) this.settle((current) => current.resolve(outcome));
    });
    socket.on('close', () => this.settle((current) => current.reject(new CandidateFailure('closed_early'))));
    socket.on('error', () => this.settle((current) => current.reject(new CandidateFailure('connect_failed'))));
  }

  /** Opens a connection and resolves once it is ready (socket open, and `connected` for Viva). */
  static async open(protocol: TurnProtocol, timeoutMs: number): Promise<CandidateSocket> {
    const socket = new WebSocket(protocol.url, { perMessageDeflate: false });
    const candidate = new CandidateSocket(socket, protocol);
    try {
      await candidate.wait(
        protocol.readyOnOpen ? () => undefined : (frame) => (protocol.isReady(frame) ? { kind: 'reply' } : undefined),
        timeoutMs,
        'connect_timeout',
        protocol.readyOnOpen ? socket : undefined,
      );
    } catch (error) {
      socket.terminate();
      throw error;
    }
    return candidate;
  }

  /** Sends one turn and resolves with what ended it. */
  turn(turnId: string, frame: string, timeoutMs: number): Promise<TurnOutcome> {
    const pending = this.wait((incoming) => this.protocol.outcome(incoming, turnId), timeoutMs, 'turn_timeout');
    this.socket.send(frame);
    return pending;
  }

  /** Closes with 1000 and waits for the closing handshake; a peer that does not answer is cut off. */
  async close(timeoutMs: number): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close(1000);
    });
  }

  terminate(): void {
    this.socket.terminate();
  }

  private wait(
    match: Waiter['match'],
    timeoutMs: number,
    timeoutKind: 'connect_timeout' | 'turn_timeout',
    resolveOnOpen?: WebSocket,
  ): Promise<TurnOutcome> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle((current) => current.reject(new CandidateFailure(timeoutKind))), timeoutMs);
      this.waiter = { match, resolve, reject, timer };
      resolveOnOpen?.once('open', () => this.settle((current) => current.resolve({ kind: 'reply' })));
    });
  }

  private settle(action: (waiter: Waiter) => void): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    action(waiter);
  }
}

function frameText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString();
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return Buffer.from(data).toString();
}
