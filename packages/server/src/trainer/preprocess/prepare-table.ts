import type { TrainingSpec } from '@modelport/contracts';
import type { TableFrame } from '../../formats/index.js';
import type { FeatureState, TablePreprocessingState } from '../../wire/training/index.js';
import { datasetError } from '../training-errors.js';
import { applyPreprocessing, type RawRow } from './apply-preprocessing.js';
import { fitNumericFeature, fitOneHotFeature } from './fit-feature.js';
import { checkLog1pDomain, numericCell } from './numeric-cell.js';
import type { PreparedData } from './prepared-data.js';
import { labelOf, sortLabels } from './sort-labels.js';
import { splitRows } from './split-rows.js';
import { planTable, type TablePlan } from './table-plan.js';

/**
 * Table → model inputs: checks the columns, drops rows (missing target, or a missing feature whose
 * strategy is `drop`), encodes the target, splits, fits the preprocessing on the training split
 * only and applies it to every kept row.
 */
export function prepareTable(spec: TrainingSpec, frame: TableFrame): PreparedData {
  const plan = planTable(spec, frame);
  const kept = keptRows(plan, frame.rowCount);
  checkCells(plan, kept);
  const { targets, classes } = encodeTarget(plan, kept);
  const seed = spec.preprocessing.shuffleSeed ?? spec.seed;
  const split = splitRows(kept.length, spec.preprocessing.split, seed, classes ? targets : undefined);
  if (split.train.length === 0)
    throw datasetError(
      'The training split is empty: too few rows for the validation and test shares',
      'preprocessing.split',
    );
  const features = plan.features.map((f) =>
    fitFeature(
      f,
      split.train.map((i) => kept[i] as number),
    ),
  );
  const state: TablePreprocessingState = {
    version: 1,
    kind: 'table',
    task: plan.task,
    classes,
    target: plan.target.name,
    features,
    inputWidth: features.reduce((n, f) => n + (f.kind === 'number' ? 1 : f.categories.length), 0),
  };
  const rows = kept.map(
    (r): RawRow => Object.fromEntries(plan.features.map((f) => [f.column.name, f.column.values[r] ?? null])),
  );
  return {
    state,
    inputShape: [state.inputWidth],
    inputs: applyPreprocessing(state, rows),
    targets,
    frameRows: kept,
    split,
  };
}

function keptRows(plan: TablePlan, rowCount: number): number[] {
  const dropping = plan.features.filter((f) => f.missing === 'drop').map((f) => f.column.values);
  const kept: number[] = [];
  for (let r = 0; r < rowCount; r++) {
    if ((plan.target.values[r] ?? null) === null) continue;
    if (dropping.some((values) => (values[r] ?? null) === null)) continue;
    kept.push(r);
  }
  if (kept.length === 0) {
    throw datasetError(
      `Every row was dropped: each misses the target "${plan.target.name}" or a feature whose missing strategy is drop`,
      'preprocessing.missing',
    );
  }
  return kept;
}

/** Every cell used as a number reads as one, on every kept row (not only the training split's). */
function checkCells(plan: TablePlan, kept: readonly number[]): void {
  for (const f of plan.features) {
    if (f.kind !== 'number') continue;
    for (const r of kept) {
      const value = numericCell(f.column.values[r] ?? null, f.column.name, r);
      if (f.log1p && value !== null) checkLog1pDomain(value, f.column.name, r);
    }
  }
}

function encodeTarget(
  plan: TablePlan,
  kept: readonly number[],
): { targets: Float32Array; classes: string[] | null } {
  const values = plan.target.values;
  if (plan.task === 'regression') {
    const targets = Float32Array.from(
      kept,
      (r) => numericCell(values[r] ?? null, plan.target.name, r, 'target') as number,
    );
    return { targets, classes: null };
  }
  const labels = kept.map((r) => labelOf(values[r] as number | string));
  const classes = sortLabels(labels);
  if (classes.length < 2) {
    throw datasetError(
      `The target "${plan.target.name}" has one class (${JSON.stringify(classes[0])}); classification needs two or more`,
      'target',
    );
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  return { targets: Float32Array.from(labels, (l) => index.get(l) as number), classes };
}

function fitFeature(plan: TablePlan['features'][number], trainRows: readonly number[]): FeatureState {
  const values = plan.column.values;
  if (plan.kind === 'number') {
    return fitNumericFeature(
      plan,
      trainRows.map((r) => numericCell(values[r] ?? null, plan.column.name, r)),
    );
  }
  return fitOneHotFeature(
    plan,
    trainRows.map((r) => {
      const cell = values[r] ?? null;
      return cell === null ? null : labelOf(cell);
    }),
  );
}
