import type { LedgerRow } from './ledger-row.js';
import { quantile } from './window-figures.js';

/** Per bucket: canary and baseline p95 latency and error %, and the rollout's weight %. */
export interface RolloutSeries {
  x: number[];
  canaryP95: (number | null)[];
  baselineP95: (number | null)[];
  canaryErrors: (number | null)[];
  baselineErrors: (number | null)[];
  weight: (number | null)[];
}

/**
 * Splits a deployment's ledger rows into the canary (rows answered by the rollout's new versions)
 * and the baseline (every other version), per time bucket; `weights` ([epoch ms, percent], oldest
 * first) gives the new revision's share at each bucket's end.
 */
export function rolloutSeries(
  rows: readonly LedgerRow[],
  canaryVersions: ReadonlySet<number>,
  weights: readonly [number, number][],
  opts: { now: number; windowMs: number; bucketMs: number },
): RolloutSeries {
  const count = Math.ceil(opts.windowMs / opts.bucketMs);
  const end = Math.ceil(opts.now / opts.bucketMs) * opts.bucketMs;
  const start = end - count * opts.bucketMs;
  const sides = { canary: [] as LedgerRow[][], baseline: [] as LedgerRow[][] };
  for (let i = 0; i < count; i++) {
    sides.canary.push([]);
    sides.baseline.push([]);
  }
  for (const r of rows) {
    const i = Math.floor((r.finishedAt - start) / opts.bucketMs);
    if (i < 0 || i >= count) continue;
    (canaryVersions.has(r.version) ? sides.canary : sides.baseline)[i]?.push(r);
  }
  const p95 = (bucket: LedgerRow[]) =>
    quantile(
      bucket.map((r) => r.latencyMs).sort((a, b) => a - b),
      0.95,
    );
  const errors = (bucket: LedgerRow[]) =>
    bucket.length === 0 ? null : (100 * bucket.filter((r) => r.status >= 400).length) / bucket.length;
  const out: RolloutSeries = {
    x: [],
    canaryP95: [],
    baselineP95: [],
    canaryErrors: [],
    baselineErrors: [],
    weight: [],
  };
  for (let i = 0; i < count; i++) {
    const at = start + (i + 1) * opts.bucketMs;
    out.x.push(at / 1000);
    out.canaryP95.push(p95(sides.canary[i] ?? []));
    out.baselineP95.push(p95(sides.baseline[i] ?? []));
    out.canaryErrors.push(errors(sides.canary[i] ?? []));
    out.baselineErrors.push(errors(sides.baseline[i] ?? []));
    let weight: number | null = null;
    for (const [t, percent] of weights) if (t <= at) weight = percent;
    out.weight.push(weight);
  }
  return out;
}
