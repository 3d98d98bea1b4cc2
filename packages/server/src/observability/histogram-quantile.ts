/** Cumulative bucket counts of a Prometheus histogram: `le` upper bounds (Infinity last). */
export interface Buckets {
  le: number[];
  counts: number[];
}

/**
 * The q-quantile of the observations counted in `buckets`, interpolated linearly inside the bucket
 * it falls in, as PromQL's `histogram_quantile` does; null without observations. A quantile in the
 * last (+Inf) bucket answers the highest finite bound.
 */
export function histogramQuantile(q: number, buckets: Buckets): number | null {
  const total = buckets.counts[buckets.counts.length - 1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < buckets.counts.length; i++) {
    const count = buckets.counts[i] as number;
    if (count < rank) continue;
    const upper = buckets.le[i] as number;
    const lower = i === 0 ? 0 : (buckets.le[i - 1] as number);
    if (!Number.isFinite(upper)) return lower;
    const below = i === 0 ? 0 : (buckets.counts[i - 1] as number);
    const inBucket = count - below;
    return inBucket <= 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
  }
  return null;
}
