import type { MissingStrategy } from '@modelport/contracts';
import type { NumericFeatureState, OneHotFeatureState } from '../../wire/training/index.js';
import { datasetError } from '../training-errors.js';
import { sortLabels } from './sort-labels.js';
import type { FeaturePlan } from './table-plan.js';

/** Fits a number feature on the training split's values (null where missing). */
export function fitNumericFeature(
  plan: FeaturePlan,
  values: readonly (number | null)[],
): NumericFeatureState {
  const column = plan.column.name;
  const present = values.filter((v): v is number => v !== null);
  const fill = numericFill(plan, present);
  if (plan.log1p && fill !== null && fill <= -1) {
    throw datasetError(
      `Column "${column}": log1p needs values above -1, the fill value is ${fill}`,
      plan.missingParam,
    );
  }
  let mean = 0;
  let std = 1;
  if (plan.standardize) {
    const filled = values.map((v) => (v ?? fill) as number).map((v) => (plan.log1p ? Math.log1p(v) : v));
    mean = filled.reduce((a, b) => a + b, 0) / filled.length;
    const variance = filled.reduce((a, v) => a + (v - mean) ** 2, 0) / filled.length;
    // A constant column would divide by zero: it stays centred, unscaled.
    std = variance > 0 ? Math.sqrt(variance) : 1;
  }
  return { kind: 'number', column, fill, log1p: plan.log1p, mean, std };
}

/** Fits a one-hot feature: its categories are those of the training split. */
export function fitOneHotFeature(plan: FeaturePlan, values: readonly (string | null)[]): OneHotFeatureState {
  const present = values.filter((v): v is string => v !== null);
  const fill = categoryFill(plan, present);
  const categories = sortLabels(fill === null ? present : [...present, fill]);
  return { kind: 'one_hot', column: plan.column.name, fill, categories };
}

function numericFill(plan: FeaturePlan, present: readonly number[]): number | null {
  const strategy = plan.missing;
  if (strategy === 'drop') return null;
  if (typeof strategy === 'object') {
    if (typeof strategy.constant !== 'number') {
      throw datasetError(
        `Column "${plan.column.name}" is used as a number; its constant fill must be a number`,
        plan.missingParam,
      );
    }
    return strategy.constant;
  }
  if (present.length === 0) {
    throw datasetError(
      `Column "${plan.column.name}" has no value in the training split to fill missing cells from`,
      plan.missingParam,
    );
  }
  if (strategy === 'mean') return present.reduce((a, b) => a + b, 0) / present.length;
  if (strategy === 'median') return median(present);
  return mostFrequent(present.map(String), (s) => Number(s));
}

function categoryFill(plan: FeaturePlan, present: readonly string[]): string | null {
  const strategy: MissingStrategy = plan.missing;
  if (strategy === 'drop') return null;
  if (typeof strategy === 'object') return String(strategy.constant);
  if (
    (strategy === 'mean' || strategy === 'median') &&
    plan.missingParam !== 'preprocessing.missing.default'
  ) {
    throw datasetError(
      `Column "${plan.column.name}" is one-hot encoded; fill it with most_frequent or a constant`,
      plan.missingParam,
    );
  }
  // A global mean/median means "the usual" for categories: their most frequent value.
  if (present.length === 0) {
    throw datasetError(
      `Column "${plan.column.name}" has no value in the training split to fill missing cells from`,
      plan.missingParam,
    );
  }
  return mostFrequent(present, (s) => s);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The most frequent value; a tie goes to the first in sorted order. */
function mostFrequent<T>(values: readonly string[], as: (s: string) => T): T {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = '';
  let bestCount = -1;
  for (const v of sortLabels(counts.keys())) {
    const n = counts.get(v) as number;
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return as(best);
}
