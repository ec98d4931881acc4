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
  readonly #batch: Database.Transaction<(writes: PendingWrite[], isolate: boolean) => Settled[]>;
  readonly #isolated: Database.Transaction<(work: () => unknown) => unknown>;

  constructor(
    db: Database.Database,
    private readonly hooks: GroupCommitHooks,
  ) {
    // called inside #batch, a better-sqlite3 transaction function becomes a SAVEPOINT ... RELEASE
    this.#isolated = db.transaction((work: () => unknown) => work());
    this.#batch = db.transaction((writes: PendingWrite[], isolate: boolean) => {
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
      this.#scheduled ??= setImmediate(() => this.#flushOrWait());
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
      this.flush();
      return;
    }
    this.#waited += 1;
    this.#scheduled = setImmediate(() => this.#flushOrWait());
  }

  /** Runs every queued write now (before closing the database, say). */
  flush(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    this.#waited = 0;
    const writes = this.#pending;
    if (writes.length === 0) return;
    this.#pending = [];
    let outcomes: Settled[];
    try {
      // IMMEDIATE takes the write lock at BEGIN, so another process on the file makes us wait (busy_timeout)
      // instead of failing at the first write
      outcomes = this.#runBatch(writes);
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

  #runBatch(writes: PendingWrite[]): Settled[] {
    try {
      return this.#batch.immediate(writes, false);
    } catch (error) {
      if (!(error instanceof IsolateAndRetry)) throw error;
      // rolled back: what the writes changed in memory is forgotten before they run again
      this.hooks.afterFailedBatch();
      return this.#batch.immediate(writes, true);
    }
  }
}
