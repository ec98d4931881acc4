/**
 * The current time as an ISO 8601 string (what every message's `timestamp` holds), made once per
 * millisecond. A turn stamps half a dozen things (its status, the reply's pieces, the reply, the stored
 * turn) within the same millisecond; each `new Date().toISOString()` allocated a Date and formatted it anew.
 */
let stampedAtMs = Number.NaN;
let stamp = '';

export function timestampNow(): string {
  const nowMs = Date.now();
  if (nowMs !== stampedAtMs) {
    stamp = new Date(nowMs).toISOString();
    stampedAtMs = nowMs;
  }
  return stamp;
}

/**
 * What stamps a record's times: `clock`'s time formatted, or, with no clock given, `timestampNow`. The
 * coordinator and every store take an optional clock (the tests' fake ones) and stamp through this.
 */
export function timestampsOf(clock: (() => Date) | undefined): () => string {
  return clock === undefined ? timestampNow : () => clock().toISOString();
}
