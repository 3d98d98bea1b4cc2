import { describe, expect, it } from 'vitest';
import { mulberry32, predict, predictProba, train } from '../../src/training/index.js';

/** Three Gaussian blobs on features of very different scales and offsets, so folding matters. */
function blobs(perClass: number, seed: number): { x: number[][]; y: number[] } {
  const random = mulberry32(seed);
  const noise = () => random() + random() + random() - 1.5;
  const centres = [
    [0, 0],
    [3, 0],
    [0, 3],
  ];
  const x: number[][] = [];
  const y: number[] = [];
  for (const [c, [cx, cy]] of centres.entries()) {
    for (let i = 0; i < perClass; i++) {
      x.push([1000 + 500 * ((cx ?? 0) + noise()), 0.001 * ((cy ?? 0) + noise())]);
      y.push(c);
    }
  }
  return { x, y };
}

describe('softmax regression', () => {
  const data = blobs(60, 11);

  it('learns separable classes on raw, badly scaled features', () => {
    const model = train(data.x, data.y, { epochs: 300 });
    const held = blobs(30, 99);
    const predicted = predict(model, held.x);
    const accuracy = predicted.filter((p, i) => p === held.y[i]).length / held.y.length;
    expect(accuracy).toBeGreaterThan(0.95);
    expect(model.weights).toBeInstanceOf(Float32Array);
    expect(model.weights.length).toBe(2 * 3);
    expect(model.bias.length).toBe(3);
    expect(model.standardisation.mean[0]).toBeGreaterThan(1000);
  });

  it('folds standardisation in, so rescaled and shifted features give the same predictions', () => {
    // Standardising removes any per-feature scale and offset; a wrong fold would leak them back.
    const moved = data.x.map(([a = 0, b = 0]) => [a * 0.01 - 40, b * 2000 + 7]);
    const plain = predictProba(train(data.x, data.y, { epochs: 100 }), data.x);
    const rescaled = predictProba(train(moved, data.y, { epochs: 100 }), moved);
    for (const [i, row] of plain.entries()) {
      row.forEach((p, c) => {
        expect(rescaled[i]?.[c]).toBeCloseTo(p, 4);
      });
    }
  });

  it('lowers the loss with more epochs and gives probabilities that sum to 1', () => {
    const short = train(data.x, data.y, { epochs: 5 });
    const long = train(data.x, data.y, { epochs: 200 });
    expect(long.loss).toBeLessThan(short.loss);
    for (const p of predictProba(long, data.x.slice(0, 20))) {
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    }
  });

  it('is deterministic for a seed and depends on it', () => {
    const a = train(data.x, data.y, { epochs: 20, seed: 1 });
    const b = train(data.x, data.y, { epochs: 20, seed: 1 });
    const c = train(data.x, data.y, { epochs: 20, seed: 2 });
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
    expect(Array.from(b.bias)).toEqual(Array.from(a.bias));
    expect(Array.from(c.weights)).not.toEqual(Array.from(a.weights));
  });

  it('refuses bad inputs', () => {
    expect(() => train([], [])).toThrow(/empty/);
    expect(() => train([[1, 2]], [0, 1])).toThrow(/rows/);
    expect(() => train([[1, 2], [3]], [0, 1])).toThrow(/finite features/);
    expect(() => train([[1], [Number.NaN]], [0, 1])).toThrow(/finite features/);
    expect(() => train([[1], [2]], [0, 3], { classes: 2 })).toThrow(/labels/);
    const model = train(data.x, data.y, { epochs: 1 });
    expect(() => predictProba(model, [[1, 2, 3]])).toThrow(/expected 2 features/);
  });
});
