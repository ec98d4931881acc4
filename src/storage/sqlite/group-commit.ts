import type Database from 'better-sqlite3';

interface PendingWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommitHooks {
  /** Runs first inside every batch's transaction, with the write lock held. */
  beforeBatch(): void;
  /** The batch's transaction failed as a whole (nothing of it is stored): forget what it changed in memory. */
  afterFailedBatch(): void;
  /**
   * Whether a write that threw this had not yet written anything (it threw while checking, before its
   * first statement: a turn out of sequence, a session that does not exist). Such a write needs no
   * savepoint to undo it. @default () => false
   */
  failedBeforeWriting?(error: unknown): boolean;
}

/** Writes enough to commit at once, without waiting a loop turn for more (see #flushOrWait). */
const FULL_BATCH = 32;
/** Loop turns a smaller batch waits for more writes. */
const MAX_WAITS = 2;

/** A write threw after it may have written: the batch is rolled back and run again, each write isolated. */
class IsolateAndRetry extends Error {}

/** Tries of a batch whose BEGIN found the write lock taken, a millisecond apart, before they slow down. */
const QUICK_RETRIES = 20;
/** The pause between two tries after those, milliseconds. */
const MAX_RETRY_DELAY_MS = 16;

/** A BEGIN that finds the write lock taken fails at once. Run with exec: SQLite applies it when it is prepared. */
const FAIL_WHEN_BUSY = 'PRAGMA busy_timeout = 0';

function isBusy(error: Error): boolean {
  return 'code' in error && error.code === 'SQLITE_BUSY';
}

/**
 * Group commit: the writes asked for during a few turns of the event loop run together in one SQLite
 * transaction, started by setImmediate once the I/O callbacks are done (a small batch waits up to two
 * turns more). Under load dozens of sessions' turns share one BEGIN/COMMIT and one append of the pages they
 * touch to the WAL, instead of each paying for its own; alone, a write waits only for the loop to turn.
 *
 * Each write still stands alone: one that throws (a turn out of sequence, say) rolls back only itself and
 * rejects only its caller. Writes that fail while checking (see `failedBeforeWriting`) have nothing to
 * roll back; for any other failure the batch is rolled back and run again with each write in a savepoint
 * of its own. A write's promise settles after the
 * whole transaction has committed, so nothing is acknowledged that is not stored.
 */
export class GroupCommit {
  #pending: PendingWrite[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #waited = 0;
  /** The next try of a batch that found the write lock taken, and since when it has been waiting. */
  #retry: { timer: NodeJS.Timeout; since: number; tries: number } | undefined;
  /** Whether the current batch got past its BEGIN: a busy error before that means nothing ran. */
  #began = false;
  readonly #batch: Database.Transaction<(writes: PendingWrite[], isolate: boolean) => Settled[]>;
  readonly #isolated: Database.Transaction<(work: () => unknown) => unknown>;
  /** Sets the connection's own busy timeout back (see FAIL_WHEN_BUSY). */
  readonly #waitWhenBusy: string;

  /**
   * @param busyTimeoutMs the connection's busy timeout: how long a batch may wait for another connection's
   *   write lock (it waits without holding the event loop) before its writes fail
   */
  constructor(
    private readonly db: Database.Database,
    private readonly hooks: GroupCommitHooks,
    private readonly busyTimeoutMs: number,
  ) {
    this.#waitWhenBusy = `PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`;
    // called inside #batch, a better-sqlite3 transaction function becomes a SAVEPOINT ... RELEASE
    this.#isolated = db.transaction((work: () => unknown) => work());
    this.#batch = db.transaction((writes: PendingWrite[], isolate: boolean) => {
      this.#began = true;
      this.hooks.beforeBatch();
      // one write needs no savepoint: if it throws, the whole (one-write) transaction rolls back
      if (writes.length === 1 && writes[0] !== undefined) return [{ ok: true, value: writes[0].work() }];
      if (!isolate) {
        // first without savepoints (two statements less per write): writes that fail do so while checking,
        // before they write; one that fails later takes the batch back, and it runs again isolated
        return writes.map((write): Settled => {
          try {
            return { ok: true, value: write.work() };
          } catch (error) {
            if (this.hooks.failedBeforeWriting?.(error) === true) return { ok: false, error };
            throw new IsolateAndRetry('a write failed after writing', { cause: error });
          }
        });
      }
      return writes.map((write): Settled => {
        try {
          return { ok: true, value: this.#isolated(write.work) };
        } catch (error) {
          return { ok: false, error };
        }
      });
    });
  }

  /**
   * Queues `work` (synchronous statements, run inside the batch's transaction) and resolves with what it
   * returned once the batch is committed. The work runs later in this loop turn: it must read its inputs
   * when it runs, not rely on state captured now staying put.
   */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // a batch waiting for the write lock takes this write along when it tries again
      if (this.#retry === undefined) this.#scheduled ??= setImmediate(() => this.#flushOrWait());
    });
  }

  /**
   * A small batch waits up to two more turns of the loop for company. A busy server's loop turns every few
   * milliseconds with a handful of inputs each, so batches stayed small and each write paid most of a
   * transaction of its own (BEGIN, COMMIT, the WAL append of its pages); a server slowed by its neighbours
   * then paid more per write and slowed further. Waiting two turns about doubled the batches at 50
   * connections and cut the server's CPU per turn (decision 0010); a third turn saved a little more CPU
   * but added to every reply's wait. An idle loop turns again at once, so a lone write waits only
   * microseconds more.
   */
  #flushOrWait(): void {
    if (this.#pending.length >= FULL_BATCH || this.#waited >= MAX_WAITS) {
      this.#commit(false);
      return;
    }
    this.#waited += 1;
    this.#scheduled = setImmediate(() => this.#flushOrWait());
  }

  /**
   * Runs every queued write now (before closing the database, say). Another connection's write lock is
   * waited for here, holding the thread, up to the busy timeout.
   */
  flush(): void {
    this.#commit(true);
  }

  /**
   * Commits the queued writes. Unless `waitForLock`, a BEGIN that finds another connection's write lock
   * (another process on the file, a checkpoint that takes the lock) does not sleep in SQLite's
   * busy handler, which would hold the event loop for 1, 2, 5, 10… ms: the writes stay queued and the batch
   * is tried again after a timer, with whatever was asked for meanwhile, until the busy timeout has passed.
   */
  #commit(waitForLock: boolean): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    this.#waited = 0;
    const retry = this.#retry;
    if (retry !== undefined) clearTimeout(retry.timer);
    this.#retry = undefined;
    const writes = this.#pending;
    if (writes.length === 0) return;
    this.#pending = [];
    let outcomes: Settled[];
    try {
      // IMMEDIATE takes the write lock at BEGIN: another connection holding it makes the BEGIN busy at once,
      // never a write halfway through the batch
      const result = waitForLock ? this.#runBatch(writes) : this.#runBatchUnlessBusy(writes);
      if (result instanceof Error) {
        // nothing of the batch ran; after the busy timeout its writes fail with SQLite's error, as they would have
        if (retry !== undefined && performance.now() - retry.since >= this.busyTimeoutMs) throw result;
        this.#pending = writes.concat(this.#pending);
        this.#tryAgainLater(retry);
        return;
      }
      outcomes = result;
    } catch (error) {
      this.hooks.afterFailedBatch();
      for (const write of writes) write.reject(error);
      return;
    }
    writes.forEach((write, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok === true) write.resolve(outcome.value);
      else write.reject(outcome?.error ?? new Error('the write was not run'));
    });
  }

  /** The batch's outcomes, or SQLite's busy error when its BEGIN found the write lock taken (nothing of it ran). */
  #runBatchUnlessBusy(writes: PendingWrite[]): Settled[] | Error {
    this.db.exec(FAIL_WHEN_BUSY);
    try {
      return this.#runBatch(writes);
    } catch (error) {
      if (!this.#began && error instanceof Error && isBusy(error)) return error;
      throw error;
    } finally {
      this.db.exec(this.#waitWhenBusy);
    }
  }

  #tryAgainLater(previous: { since: number; tries: number } | undefined): void {
    const tries = (previous?.tries ?? 0) + 1;
    // a lock held for a moment (a checkpoint, a short transaction): try every loop turn at first; then back
    // off, for a lock held long
    const delayMs = tries <= QUICK_RETRIES ? 1 : MAX_RETRY_DELAY_MS;
    const timer = setTimeout(() => this.#commit(false), delayMs);
    this.#retry = { timer, since: previous?.since ?? performance.now(), tries };
  }

  #runBatch(writes: PendingWrite[]): Settled[] {
    try {
      this.#began = false;
      return this.#batch.immediate(writes, false);
    } catch (error) {
      if (!(error instanceof IsolateAndRetry)) throw error;
      // rolled back: what the writes changed in memory is forgotten before they run again
      this.hooks.afterFailedBatch();
      this.#began = false;
      return this.#batch.immediate(writes, true);
    }
  }
}
