import { describe, expect, it } from 'vitest';
import { mulberry32, shuffled, stratifiedSplit } from '../../src/training/index.js';

describe('mulberry32', () => {
  it('repeats for a seed, differs across seeds and stays in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(mulberry32(8)()).not.toBe(first[0]);
    expect(first.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = first.reduce((s, v) => s + v, 0) / first.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('shuffles a copy into a permutation', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const out = shuffled(items, mulberry32(1));
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(out).not.toEqual(items);
    expect([...out].sort((p, q) => p - q)).toEqual(items);
  });
});

describe('stratifiedSplit', () => {
  // 3 classes with 50, 30 and 20 members, interleaved.
  const y = Array.from({ length: 100 }, (_, i) => (i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2));
  const x = y.map((_, i) => [i]);

  it('keeps each class share on both sides and covers every row once', () => {
    const { train, test } = stratifiedSplit(x, y, { testFraction: 0.2, seed: 3 });
    const count = (labels: number[], c: number) => labels.filter((l) => l === c).length;
    expect([0, 1, 2].map((c) => count(test.y, c))).toEqual([10, 6, 4]);
    expect([0, 1, 2].map((c) => count(train.y, c))).toEqual([40, 24, 16]);
    expect([...train.indices, ...test.indices].sort((p, q) => p - q)).toEqual(y.map((_, i) => i));
    expect(test.x.map((row) => row[0])).toEqual(test.indices);
    expect(test.y).toEqual(test.indices.map((i) => y[i]));
  });

  it('is deterministic per seed', () => {
    const a = stratifiedSplit(x, y, { testFraction: 0.2, seed: 3 });
    expect(stratifiedSplit(x, y, { testFraction: 0.2, seed: 3 })).toEqual(a);
    expect(stratifiedSplit(x, y, { testFraction: 0.2, seed: 4 }).test.indices).not.toEqual(a.test.indices);
  });

  it('refuses mismatched lengths and fractions outside (0, 1)', () => {
    expect(() => stratifiedSplit(x, y.slice(1), { testFraction: 0.2, seed: 1 })).toThrow(/rows/);
    expect(() => stratifiedSplit(x, y, { testFraction: 1, seed: 1 })).toThrow(/testFraction/);
    expect(() => stratifiedSplit(x, y, { testFraction: 0, seed: 1 })).toThrow(/testFraction/);
  });
});
