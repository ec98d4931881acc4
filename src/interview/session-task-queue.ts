import { VivaError } from '@viva/protocol/viva-error.js';

interface Lane {
  running: boolean;
  waiting: Array<() => void>;
}

/**
 * Runs each session's tasks one at a time, in the order they were handed in, while different sessions
 * run concurrently. A task that would wait behind more than `maxQueued` others is refused with BUSY.
 *
 * `run` registers the task synchronously, so callers that hand tasks in within one tick keep their order
 * even though the tasks themselves are asynchronous.
 */
export class SessionTaskQueue {
  private readonly lanes = new Map<string, Lane>();
  private drainedWaiters: Array<() => void> = [];

  constructor(private readonly maxQueued: number) {}

  run<T>(sessionId: string, task: () => Promise<T>, onQueued?: (position: number) => void): Promise<T> {
    let lane = this.lanes.get(sessionId);
    if (lane === undefined) {
      lane = { running: false, waiting: [] };
      this.lanes.set(sessionId, lane);
    }
    if (lane.running && lane.waiting.length >= this.maxQueued) {
      return Promise.reject(
        new VivaError('BUSY', undefined, { details: { max_queued_inputs: this.maxQueued } }),
      );
    }
    const current = lane;
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        current.running = true;
        task()
          .then(resolve, reject)
          .finally(() => this.next(sessionId, current));
      };
      if (!current.running) {
        start();
      } else {
        current.waiting.push(start);
        onQueued?.(current.waiting.length);
      }
    });
  }

  /** Whether a task of this session is running now. */
  isRunning(sessionId: string): boolean {
    return this.lanes.get(sessionId)?.running ?? false;
  }

  /** Sessions with a task running or waiting. */
  get busySessions(): number {
    return this.lanes.size;
  }

  /** Resolves once no task is running or waiting anywhere. */
  drained(): Promise<void> {
    if (this.lanes.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainedWaiters.push(resolve));
  }

  private next(sessionId: string, lane: Lane): void {
    const start = lane.waiting.shift();
    if (start !== undefined) {
      start();
      return;
    }
    lane.running = false;
    this.lanes.delete(sessionId);
    if (this.lanes.size === 0) {
      const waiters = this.drainedWaiters;
      this.drainedWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
