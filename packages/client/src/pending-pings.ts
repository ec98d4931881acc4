import { VivaClientError } from './viva-client-error.js';

interface Entry {
  started: number;
  resolve(milliseconds: number): void;
  reject(error: VivaClientError): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * `ping()` calls waiting for their `pong`. Unlike inputs they are not re-sent after a reconnect: a round
 * trip measured across two connections would mean nothing, so they fail with DISCONNECTED instead.
 */
export class PendingPings {
  private readonly entries = new Map<string, Entry>();

  /** Waits for the pong to `id`; resolves with the round trip, milliseconds. */
  add(id: string, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.entries.delete(id);
        reject(new VivaClientError('TIMEOUT', `No pong within ${timeoutMs} ms.`, { retryable: true, replyTo: id }));
      }, timeoutMs);
      this.entries.set(id, { started: performance.now(), resolve, reject, timer });
    });
  }

  answer(id: string): boolean {
    const entry = this.take(id);
    entry?.resolve(Math.round(performance.now() - entry.started));
    return entry !== undefined;
  }

  fail(id: string, error: VivaClientError): boolean {
    const entry = this.take(id);
    entry?.reject(error);
    return entry !== undefined;
  }

  failAll(error: VivaClientError): void {
    for (const id of [...this.entries.keys()]) this.fail(id, error);
  }

  private take(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    clearTimeout(entry.timer);
    this.entries.delete(id);
    return entry;
  }
}
