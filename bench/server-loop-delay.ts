/** The event loop's delay as Viva's /metrics reports it (prom-client's monitor), milliseconds. */
export interface LoopDelay {
  p99: number;
  max: number;
}

/**
 * Viva's event-loop delay since the last reading, from /metrics (the bench's admin token); undefined when
 * it cannot be read. Reading resets prom-client's histogram, so a reading at a window's start and one at
 * its end give the window. The monitor samples every 10 ms, so the figures are that coarse: they show the
 * stalls a whole batch of turns waits behind (a checkpoint inside a commit, say), not a single turn's cost.
 */
export async function serverLoopDelay(httpBase: string, timeoutMs = 5_000): Promise<LoopDelay | undefined> {
  try {
    const response = await fetch(`${httpBase}/metrics`, {
      headers: { authorization: 'Bearer bench-admin-token' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const gauge = (name: string) => Number(new RegExp(`^viva_${name} ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
    const p99 = gauge('nodejs_eventloop_lag_p99_seconds');
    const max = gauge('nodejs_eventloop_lag_max_seconds');
    return Number.isFinite(p99) && Number.isFinite(max) ? { p99, max } : undefined;
  } catch {
    return undefined;
  }
}
