/** How long something took, over many cases: nearest-rank percentiles, in whole seconds. */
export interface DurationSummary {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  averageSeconds: number | null;
}

/** How old the items still waiting are at the end of the period. */
export interface AgeSummary {
  count: number;
  medianAgeSeconds: number | null;
  oldestAgeSeconds: number | null;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Durations in milliseconds (negative ones, from clock skew between writers, count as zero). */
export function summarizeDurations(durationsMs: number[]): DurationSummary {
  const sorted = durationsMs.map((d) => Math.max(0, d) / 1000).sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0, medianSeconds: null, p90Seconds: null, averageSeconds: null };
  return {
    count: sorted.length,
    medianSeconds: Math.round(percentile(sorted, 50)),
    p90Seconds: Math.round(percentile(sorted, 90)),
    averageSeconds: Math.round(sorted.reduce((sum, d) => sum + d, 0) / sorted.length),
  };
}

export function summarizeAges(agesMs: number[]): AgeSummary {
  const sorted = agesMs.map((d) => Math.max(0, d) / 1000).sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0, medianAgeSeconds: null, oldestAgeSeconds: null };
  return {
    count: sorted.length,
    medianAgeSeconds: Math.round(percentile(sorted, 50)),
    oldestAgeSeconds: Math.round(sorted[sorted.length - 1]!),
  };
}

/** The time between two ISO 8601 timestamps, when both are known. */
export function between(
  start: string | null | undefined,
  end: string | null | undefined,
): number | undefined {
  if (!start || !end) return undefined;
  return Date.parse(end) - Date.parse(start);
}
