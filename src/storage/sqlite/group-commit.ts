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
}

/**
 * Group commit: the writes asked for during one turn of the event loop run together in one SQLite
 * transaction, started by setImmediate once the I/O callbacks of that turn are done. Under load dozens of
 * sessions' turns share one BEGIN/COMMIT and one append of the pages they touch to the WAL, instead of
 * each paying for its own; alone, a write waits for nothing but the end of the current loop turn.
 *
 * Each write still stands alone: it runs in a savepoint of its own, so one that throws (a turn out of
 * sequence, say) rolls back only itself and rejects only its caller. A write's promise settles after the
 * whole transaction has committed, so nothing is acknowledged that is not stored.
 */
export class GroupCommit {
  #pending: PendingWrite[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  readonly #batch: Database.Transaction<(writes: PendingWrite[]) => Settled[]>;
  readonly #isolated: Database.Transaction<(work: () => unknown) => unknown>;

  constructor(
    db: Database.Database,
    private readonly hooks: GroupCommitHooks,
  ) {
    // called inside #batch, a better-sqlite3 transaction function becomes a SAVEPOINT ... RELEASE
    this.#isolated = db.transaction((work: () => unknown) => work());
    this.#batch = db.transaction((writes: PendingWrite[]) => {
      this.hooks.beforeBatch();
      // one write needs no savepoint: if it throws, the whole (one-write) transaction rolls back
      if (writes.length === 1 && writes[0] !== undefined) return [{ ok: true, value: writes[0].work() }];
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
      this.#scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Runs every queued write now (before closing the database, say). */
  flush(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const writes = this.#pending;
    if (writes.length === 0) return;
    this.#pending = [];
    let outcomes: Settled[];
    try {
      // IMMEDIATE takes the write lock at BEGIN, so another process on the file makes us wait (busy_timeout)
      // instead of failing at the first write
      outcomes = this.#batch.immediate(writes);
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
}
