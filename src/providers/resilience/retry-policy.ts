import { ProviderError } from '../provider-error.js';

/**
 * The one place remote calls are retried (the OpenAI SDK's own retries are switched off, so every retry
 * is seen here, logged and counted). Retried: 408, 409, 429, 5xx and network failures, which the adapters
 * mark `retryable`; a server's `retry-after` is honoured; otherwise exponential backoff with full jitter
 * (a random wait between 0 and base × 2^(attempt-1), capped), which spreads the retries of many sessions.
 */

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Backoff before the second attempt, at most (full jitter picks 0..this), milliseconds. */
  baseDelayMs: number;
  /** Cap of any one backoff, milliseconds. */
  maxDelayMs: number;
  /**
   * A `retry-after` longer than this is not waited for: the call fails at once, so a fallback can answer
   * instead of leaving the candidate waiting. Milliseconds.
   */
  maxRetryAfterMs: number;
}

/** @default 3 attempts, 250 ms base, 4 s cap, retry-after honoured up to 10 s */
export const RETRY_DEFAULTS: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
});

/** Full jitter: a uniformly random wait in [0, min(cap, base × 2^(attempt-1))). `attempt` is the one that failed, from 1. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy = RETRY_DEFAULTS, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * How long to wait before retrying after `error` failed attempt number `attempt` (from 1), or undefined
 * when it must not be retried: not retryable, attempts used up, or a retry-after beyond the policy's cap.
 */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  policy: RetryPolicy = RETRY_DEFAULTS,
  random: () => number = Math.random,
): number | undefined {
  if (!(error instanceof ProviderError) || !error.retryable || attempt >= policy.maxAttempts) return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
  }
  return backoffDelayMs(attempt, policy, random);
}

/**
 * Milliseconds a response asks us to wait: `retry-after-ms` (OpenAI), else `retry-after` as seconds or
 * an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\d+(\.\d+)?$/.test(milliseconds.trim())) return Math.round(Number(milliseconds));
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits, or rejects with the signal's reason as soon as it aborts. */
export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryOptions {
  policy?: RetryPolicy | undefined;
  /** Stops the waiting between attempts (and is expected to stop the attempt itself). */
  signal?: AbortSignal | undefined;
  /** Called before each wait: for logs and metrics. */
  onRetry?: ((info: { attempt: number; delayMs: number; error: unknown }) => void) | undefined;
  random?: (() => number) | undefined;
}

/** Runs `call` (given the attempt number, from 1) until it succeeds or the policy says stop; throws the last error. */
export async function withRetries<T>(call: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? RETRY_DEFAULTS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call(attempt);
    } catch (error) {
      // an aborted call is over, whatever the error says
      if (options.signal?.aborted === true) throw error;
      const delay = retryDelayMs(error, attempt, policy, options.random);
      if (delay === undefined) throw error;
      options.onRetry?.({ attempt, delayMs: delay, error });
      await sleep(delay, options.signal);
    }
  }
}
