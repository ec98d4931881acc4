/** How the client retries a dropped connection. */
export interface ReconnectOptions {
  /** Cap of the first delay, milliseconds. @default 500 */
  initialDelayMs?: number;
  /** Cap of any delay, milliseconds. @default 10000 */
  maxDelayMs?: number;
  /** Consecutive failed attempts before the client gives up; `Infinity` never does. @default Infinity */
  maxAttempts?: number;
}

export const DEFAULT_RECONNECT: Readonly<Required<ReconnectOptions>> = Object.freeze({
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  maxAttempts: Number.POSITIVE_INFINITY,
});

export function resolveReconnectOptions(options: ReconnectOptions = {}): Required<ReconnectOptions> {
  const resolved = { ...DEFAULT_RECONNECT, ...stripUndefined(options) };
  if (!(resolved.initialDelayMs >= 0) || !(resolved.maxDelayMs >= 0) || !(resolved.maxAttempts >= 0)) {
    throw new RangeError('reconnect delays and maxAttempts must be numbers of at least 0');
  }
  return resolved;
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first), with "full jitter": uniform between 0
 * and min(maxDelayMs, initialDelayMs · 2^attempt). Randomising the whole delay spreads the clients a
 * restarted server lost over the window, instead of having them all come back in the same instant.
 */
export function backoffDelay(
  attempt: number,
  options: Required<ReconnectOptions>,
  random: () => number = Math.random,
): number {
  // 2^attempt overflows to Infinity long before attempt is large enough to matter; min() caps it anyway
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
