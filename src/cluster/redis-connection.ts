import { Redis } from 'ioredis';
import { VivaError } from '@viva/protocol/viva-error.js';

/**
 * Every Redis command is bounded by this, milliseconds: a Redis that stopped answering makes a call fail
 * (and the input get a retryable error) instead of hanging a turn.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/** Longest pause between two reconnection attempts, milliseconds (they start at 100 and double). */
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * A connection for commands. The offline queue is off: while Redis is unreachable a command fails at
 * once rather than waiting for the reconnection, so callers can answer with a retryable error; callers
 * on the input path first wait a bounded time for a reconnection under way (`readyWithin`). ioredis
 * keeps reconnecting in the background for as long as the process runs.
 */
export function createRedisConnection(url: string, name: string): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
    // jitter keeps the nodes of a cluster from reconnecting in lockstep after an outage
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS) * (0.5 + Math.random() / 2),
  });
  // the first 'close' after 'ready' starts the wait; the failed attempts that follow do not extend it
  redis.on('ready', () => lostAt.set(redis, null));
  redis.on('close', () => {
    if (lostAt.get(redis) === null) lostAt.set(redis, Date.now());
  });
  return redis;
}

/** Per command connection: null while connected, or when it lost Redis (never connected: absent). */
const lostAt = new WeakMap<object, number | null>();

/**
 * A connection for SUBSCRIBE. It keeps the offline queue (ioredis resubscribes through it after a
 * reconnection) and has no command timeout, since a subscriber waits for messages by design.
 */
export function createRedisSubscriber(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    autoResubscribe: true,
    maxRetriesPerRequest: null,
    connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS) * (0.5 + Math.random() / 2),
  });
}

/**
 * How long a call waits for a connection that is re-establishing before trying anyway (and failing at
 * once while Redis stays away), milliseconds. A blip (a Redis failover or restart, a dropped TCP
 * connection: ioredis reconnects in 100-200 ms) is ridden out; an outage still fails fast.
 */
export const RECONNECT_WAIT_MS = 1_000;

/**
 * Resolves when `redis` is ready for commands, or at the latest `milliseconds` after it lost Redis: a
 * blip is waited out, while during a longer outage (or before a first connection) calls go on failing at
 * once. The offline queue stays off on purpose: a queued command that timed out would still run once
 * Redis is back (a lease claimed for an input that already failed); waiting before sending has no such
 * late effect.
 */
export function readyWithin(redis: Pick<Redis, 'status' | 'once' | 'off'>, milliseconds = RECONNECT_WAIT_MS): Promise<void> {
  const since = lostAt.get(redis);
  const remaining = since === undefined || since === null ? 0 : since + milliseconds - Date.now();
  if (redis.status === 'ready' || remaining <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, remaining);
    redis.once('ready', done);
  });
}

/**
 * What a client sees when Redis cannot be reached mid-request: INTERNAL_ERROR marked retryable (the
 * registry's default for that code is not), because the request was fine and nothing of it was done.
 */
export function clusterUnavailable(cause: unknown): VivaError {
  return new VivaError('INTERNAL_ERROR', 'The server cluster is temporarily unavailable. Try again in a moment.', {
    retryable: true,
    cause,
  });
}

/** Resolves with `promise`, or rejects after `milliseconds` (for calls ioredis itself does not bound). */
export function withTimeout<T>(promise: Promise<T>, milliseconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${milliseconds} ms`)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
