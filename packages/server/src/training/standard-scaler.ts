export interface Standardisation {
  mean: number[];
  /** Population standard deviation; a constant feature gets 1 so it never divides by zero. */
  std: number[];
}

/** Per-feature mean and standard deviation of the rows given (the training split only). */
export function fitStandardisation(x: readonly (readonly number[])[]): Standardisation {
  const first = x[0];
  if (!first) throw new Error('cannot standardise an empty dataset');
  const features = first.length;
  const mean = new Array<number>(features).fill(0);
  const variance = new Array<number>(features).fill(0);
  for (const row of x) for (let f = 0; f < features; f++) mean[f] = (mean[f] ?? 0) + at(row, f) / x.length;
  for (const row of x) {
    for (let f = 0; f < features; f++)
      variance[f] = (variance[f] ?? 0) + (at(row, f) - at(mean, f)) ** 2 / x.length;
  }
  const std = variance.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1));
  return { mean, std };
}

export function standardise(x: readonly (readonly number[])[], s: Standardisation): number[][] {
  return x.map((row) => row.map((v, f) => (v - at(s.mean, f)) / at(s.std, f)));
}

function at(row: readonly number[], i: number): number {
  const v = row[i];
  if (v === undefined) throw new Error(`row has no feature ${i}`);
  return v;
}
