import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SessionLeases } from '../interview/session-leases.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { clusterUnavailable, readyWithin } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { releaseLeaseScript, renewLeaseScript } from './redis-scripts.js';

export interface RedisSessionLeasesOptions {
  nodeId: string;
  /** How long a lease lasts without renewal, milliseconds (LEASE_TTL_MS). */
  ttlMs: number;
  /** How long to wait for a lease held by another node before BUSY, milliseconds (LEASE_WAIT_MS). */
  waitMs: number;
  logger: Logger;
}

/** First pause between two attempts at a lease held elsewhere, milliseconds; it doubles up to the cap. */
const FIRST_RETRY_MS = 20;
const MAX_RETRY_MS = 250;

/**
 * The exclusive right to process a session's inputs, across nodes: a Redis key `lease:<session>` set with
 * NX and a TTL to a random token. While the task runs the holder renews it every third of the TTL; at the
 * end it deletes it, but only if it still holds the token (compare-and-delete, so a lease that expired and
 * was taken by another node is never released by the old holder). A node that dies stops renewing and its
 * leases expire after LEASE_TTL_MS.
 *
 * Waiting: a lease held elsewhere is polled with doubling, jittered pauses for at most LEASE_WAIT_MS, then
 * the input fails with BUSY (retryable: the session is busy, on another node). Redis reconnecting: the
 * claim waits up to RECONNECT_WAIT_MS for it. Redis unreachable past that: the input fails with a
 * retryable INTERNAL_ERROR — without the lease, processing could run on two
 * nodes at once.
 *
 * Should the lease be lost mid-task (Redis restarted and forgot it, or this process stalled past the TTL),
 * the task is not interrupted: the store still refuses a second commit of the same turn (its turn number
 * check under the session row lock), so the worst outcome is a failed, retryable turn, never a duplicate.
 */
export class RedisSessionLeases implements SessionLeases {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly options: RedisSessionLeasesOptions,
  ) {}

  async withLease<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const key = this.keys.lease(sessionId);
    const token = `${this.options.nodeId}/${randomUUID()}`;
    await this.acquire(key, sessionId, token);
    const renewal = setInterval(() => void this.renew(key, sessionId, token), Math.max(50, Math.floor(this.options.ttlMs / 3)));
    renewal.unref();
    try {
      return await task();
    } finally {
      clearInterval(renewal);
      await readyWithin(this.redis);
      await releaseLeaseScript.run(this.redis, [key], [token]).catch((error: unknown) => {
        // it expires by itself after LEASE_TTL_MS; until then other nodes wait for this session
        this.options.logger.warn({ err: describe(error), session_id: sessionId }, 'could not release a session lease');
      });
    }
  }

  private async acquire(key: string, sessionId: string, token: string): Promise<void> {
    const deadline = Date.now() + this.options.waitMs;
    let pause = FIRST_RETRY_MS;
    for (;;) {
      let answer: string | null;
      try {
        // a reconnection under way (a blip of a few hundred ms) is waited for, within a bound
        await readyWithin(this.redis);
        answer = await this.redis.set(key, token, 'PX', this.options.ttlMs, 'NX');
      } catch (error) {
        throw clusterUnavailable(error);
      }
      if (answer === 'OK') return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new VivaError('BUSY', 'This session is busy on another server. Wait for the current reply, then send again.', {
          details: { reason: 'session_busy_elsewhere' },
        });
      }
      // half fixed, half random: spreads out nodes that wait for the same session
      await sleep(Math.min(remaining, pause / 2 + Math.random() * (pause / 2)));
      pause = Math.min(pause * 2, MAX_RETRY_MS);
    }
  }

  private async renew(key: string, sessionId: string, token: string): Promise<void> {
    try {
      const renewed = await renewLeaseScript.run(this.redis, [key], [token, this.options.ttlMs]);
      if (renewed !== 1) {
        this.options.logger.warn({ session_id: sessionId }, 'a session lease was lost while its task ran');
      }
    } catch (error) {
      // Redis is unreachable; the next renewal tries again, and the lease outlives a short outage
      this.options.logger.debug({ err: describe(error), session_id: sessionId }, 'could not renew a session lease');
    }
  }
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
