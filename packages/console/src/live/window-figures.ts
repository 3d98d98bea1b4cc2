import type { LedgerRow } from './ledger-row.js';

/** The q-quantile of sorted values, interpolated between neighbours; null for none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (pos - lo);
}

export interface WindowFigures {
  requests: number;
  perSecond: number;
  /** Share of answers with status ≥ 400, as the usage report counts errors. */
  errorShare: number | null;
  p50: number | null;
  p95: number | null;
  tokensOutPerSecond: number;
  tokensInPerSecond: number;
}

/** Rates and latencies of the requests that finished within the window. */
export function windowFigures(rows: readonly LedgerRow[], windowMs: number): WindowFigures {
  const seconds = windowMs / 1000;
  const latencies = rows.map((r) => r.latencyMs).sort((a, b) => a - b);
  const errors = rows.filter((r) => r.status >= 400).length;
  return {
    requests: rows.length,
    perSecond: rows.length / seconds,
    errorShare: rows.length === 0 ? null : errors / rows.length,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    tokensOutPerSecond: rows.reduce((sum, r) => sum + r.tokensOut, 0) / seconds,
    tokensInPerSecond: rows.reduce((sum, r) => sum + r.tokensIn, 0) / seconds,
  };
}

/** uPlot's columns: bucket ends (epoch seconds), p50, p95 and requests per bucket (null: no request). */
export type LatencySeries = [number[], (number | null)[], (number | null)[], number[]];

export function latencySeries(
  rows: readonly LedgerRow[],
  opts: { now: number; windowMs: number; bucketMs: number },
): LatencySeries {
  const count = Math.ceil(opts.windowMs / opts.bucketMs);
  const end = Math.ceil(opts.now / opts.bucketMs) * opts.bucketMs;
  const start = end - count * opts.bucketMs;
  const buckets: number[][] = Array.from({ length: count }, () => []);
  for (const r of rows) {
    const i = Math.floor((r.finishedAt - start) / opts.bucketMs);
    if (i >= 0 && i < count) buckets[i]?.push(r.latencyMs);
  }
  const series: LatencySeries = [[], [], [], []];
  buckets.forEach((values, i) => {
    values.sort((a, b) => a - b);
    series[0].push((start + (i + 1) * opts.bucketMs) / 1000);
    series[1].push(quantile(values, 0.5));
    series[2].push(quantile(values, 0.95));
    series[3].push(values.length);
  });
  return series;
}
