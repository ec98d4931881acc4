import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionLeases } from '../../src/interview/session-leases.js';

export interface SessionLeasesContractOptions {
  /**
   * Whether the leases themselves keep two tasks of one session apart. The Redis leases do (across
   * nodes); the local ones do not need to, since on one node the session task queue already runs a
   * session's inputs one at a time, so for them the suite checks only what holds for both.
   */
  exclusive: boolean;
  /** Why the suite cannot run here (e.g. Redis is not reachable), or false. */
  skip?: string | false;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((onResolve) => {
    resolve = onResolve;
  });
  return { promise, resolve };
}

/**
 * The one suite every SessionLeases runs (as test/storage/session-store-contract.ts is for the stores).
 * `make` gives a fresh SessionLeases for each test (a fresh key prefix, for Redis); the caller cleans up.
 */
export function runSessionLeasesContract(name: string, make: () => Promise<SessionLeases>, options: SessionLeasesContractOptions): void {
  describe(`SessionLeases contract: ${name}`, { skip: options.skip ?? false }, () => {
    it("runs the task and returns what it returned", async () => {
      const leases = await make();
      assert.deepEqual(await leases.withLease('s-value', async () => ({ answer: 42 })), { answer: 42 });
    });

    it("passes a failing task's error through unchanged, and the session can be leased again at once", async () => {
      const leases = await make();
      const failure = new Error('the task failed');
      await assert.rejects(
        leases.withLease('s-fail', async () => {
          throw failure;
        }),
        (error: unknown) => error === failure,
      );
      const startedAt = Date.now();
      assert.equal(await leases.withLease('s-fail', async () => 'again'), 'again');
      // a lease left behind would make this wait for its TTL or fail with BUSY
      assert.ok(Date.now() - startedAt < 1_500, `the second lease waited ${Date.now() - startedAt} ms`);
    });

    it('a session being worked on does not hold up another session', async () => {
      const leases = await make();
      const held = deferred();
      let entered = false;
      const holding = leases.withLease('s-held', async () => {
        entered = true;
        await held.promise;
      });
      try {
        assert.equal(await leases.withLease('s-other', async () => 'free'), 'free');
      } finally {
        held.resolve();
        await holding;
      }
      assert.equal(entered, true);
    });

    it('leases one session many times in a row, each task seeing the one before finished', async () => {
      const leases = await make();
      const seen: number[] = [];
      for (let index = 0; index < 10; index += 1) {
        await leases.withLease('s-row', async () => {
          seen.push(index);
        });
      }
      assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    if (options.exclusive) {
      it('never runs two tasks of one session at the same time', async () => {
        const leases = await make();
        let running = 0;
        let most = 0;
        const task = async (): Promise<void> => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 60));
          running -= 1;
        };
        await Promise.all([leases.withLease('s-apart', task), leases.withLease('s-apart', task), leases.withLease('s-apart', task)]);
        assert.equal(most, 1);
      });
    }
  });
}
