import { SeededRandom } from '../seeded-random.js';

export interface RowSplit {
  /** Indices into the kept rows, ascending. */
  readonly train: number[];
  readonly validation: number[];
  readonly test: number[];
}

export interface SplitFractions {
  readonly validation: number;
  readonly test: number;
}

/**
 * Seeded split. With `labels` (classification) each class is shuffled and cut on its own, so every
 * split keeps the class balance; without, all rows are shuffled and cut once.
 */
export function splitRows(
  count: number,
  fractions: SplitFractions,
  seed: number,
  labels?: ArrayLike<number>,
): RowSplit {
  const random = new SeededRandom(seed);
  const split: RowSplit = { train: [], validation: [], test: [] };
  for (const group of groups(count, labels)) {
    const order = random.shuffle(group);
    const validation = Math.round(order.length * fractions.validation);
    const test = Math.round(order.length * fractions.test);
    split.validation.push(...order.slice(0, validation));
    split.test.push(...order.slice(validation, validation + test));
    split.train.push(...order.slice(validation + test));
  }
  for (const part of [split.train, split.validation, split.test]) part.sort((a, b) => a - b);
  return split;
}

function groups(count: number, labels?: ArrayLike<number>): number[][] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (!labels) return [all];
  const byClass = new Map<number, number[]>();
  for (const i of all) {
    const label = labels[i] as number;
    const members = byClass.get(label);
    if (members) members.push(i);
    else byClass.set(label, [i]);
  }
  return [...byClass.entries()].sort(([a], [b]) => a - b).map(([, members]) => members);
}
