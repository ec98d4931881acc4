export interface LatencySummary {
  /** Milliseconds, all of them. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of turn latencies (milliseconds); zeros when there are none. */
export function summariseLatencies(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
  let total = 0;
  for (const value of sorted) total += value;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean: total / sorted.length };
}
