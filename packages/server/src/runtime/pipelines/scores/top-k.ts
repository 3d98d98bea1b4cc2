import type { LabelScore } from '../../../wire/index.js';

/** The `k` best scores, best first (ties keep class order); a class without a label is named by its index. */
export function topK(scores: ArrayLike<number>, labels: readonly string[], k: number): LabelScore[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  const score = (i: number) => {
    const value = scores[i] ?? Number.NaN;
    // NaN would make the sort order undefined; it ranks last instead.
    return Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value;
  };
  order.sort((a, b) => score(b) - score(a) || a - b);
  return order.slice(0, k).map((i) => ({ label: labels[i] ?? String(i), score: scores[i] ?? Number.NaN }));
}
