import { mulberry32, shuffled } from './seeded-random.js';

export interface SplitOptions {
  /** Share of each class held out for testing, in (0, 1). */
  testFraction: number;
  seed: number;
}

export interface Split<X> {
  train: { x: X[]; y: number[]; indices: number[] };
  test: { x: X[]; y: number[]; indices: number[] };
}

/**
 * Seeded stratified split: each class is shuffled on its own and its first share goes to the test
 * side, so both sides keep the class balance and the same seed always gives the same rows.
 */
export function stratifiedSplit<X>(x: readonly X[], y: readonly number[], options: SplitOptions): Split<X> {
  if (x.length !== y.length) throw new Error(`x has ${x.length} rows but y has ${y.length}`);
  if (!(options.testFraction > 0 && options.testFraction < 1)) {
    throw new Error(`testFraction must be in (0, 1), got ${options.testFraction}`);
  }
  const random = mulberry32(options.seed);
  const testIndices: number[] = [];
  const trainIndices: number[] = [];
  for (const members of groupByClass(y).values()) {
    const order = shuffled(members, random);
    const testCount = Math.round(order.length * options.testFraction);
    testIndices.push(...order.slice(0, testCount));
    trainIndices.push(...order.slice(testCount));
  }
  // Ascending order keeps the rows in dataset order, independent of class iteration order.
  trainIndices.sort((a, b) => a - b);
  testIndices.sort((a, b) => a - b);
  return { train: pick(x, y, trainIndices), test: pick(x, y, testIndices) };
}

function groupByClass(y: readonly number[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const [i, label] of y.entries()) {
    const members = groups.get(label);
    if (members) members.push(i);
    else groups.set(label, [i]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a - b));
}

function pick<X>(x: readonly X[], y: readonly number[], indices: number[]): Split<X>['train'] {
  return { x: indices.map((i) => x[i] as X), y: indices.map((i) => y[i] as number), indices };
}
