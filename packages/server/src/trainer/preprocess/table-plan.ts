import type { MissingStrategy, TrainingSpec, TrainingTask } from '@modelport/contracts';
import type { TableColumn, TableFrame } from '../../formats/index.js';
import { datasetError, specError } from '../training-errors.js';
import { numericCell } from './numeric-cell.js';

/** One feature column and what the specification asks of it. */
export interface FeaturePlan {
  readonly column: TableColumn;
  readonly kind: 'number' | 'one_hot';
  readonly missing: MissingStrategy;
  /** Where the strategy was given, for errors. */
  readonly missingParam: string;
  readonly log1p: boolean;
  readonly standardize: boolean;
}

export interface TablePlan {
  readonly target: TableColumn;
  readonly task: TrainingTask;
  readonly features: readonly FeaturePlan[];
}

/** Integer targets with at most this many distinct values are taken for classes. */
const MAX_INFERRED_CLASSES = 20;

/** Checks every column the specification names against the table and settles each feature's treatment. */
export function planTable(spec: TrainingSpec, frame: TableFrame): TablePlan {
  const byName = new Map(frame.columns.map((c) => [c.name, c]));
  if (spec.target === undefined) throw specError('is required for a table dataset', 'target');
  const target = byName.get(spec.target);
  if (!target)
    throw datasetError(`The dataset has no column "${spec.target}" (its columns: ${names(frame)})`, 'target');
  const featureNames = spec.features ?? frame.columns.map((c) => c.name).filter((n) => n !== target.name);
  if (featureNames.length === 0)
    throw datasetError('The dataset has no column besides the target', 'features');
  const features = featureNames.map((name) => {
    const column = byName.get(name);
    if (!column)
      throw datasetError(`The dataset has no column "${name}" (its columns: ${names(frame)})`, 'features');
    return column;
  });
  const pre = spec.preprocessing;
  const featureSet = new Set(featureNames);
  const known = (list: readonly string[], param: string) => {
    for (const name of list) {
      if (!featureSet.has(name)) throw datasetError(`"${name}" is not a feature column`, param);
    }
  };
  known(pre.log1p, 'preprocessing.log1p');
  known(Object.keys(pre.missing.columns), 'preprocessing.missing.columns');
  if (Array.isArray(pre.standardize)) known(pre.standardize, 'preprocessing.standardize');
  if (pre.oneHot) known(pre.oneHot, 'preprocessing.oneHot');
  const oneHot = new Set(pre.oneHot ?? features.filter((c) => c.type === 'string').map((c) => c.name));
  const plans = features.map((column): FeaturePlan => {
    const kind = oneHot.has(column.name) ? 'one_hot' : 'number';
    const log1p = pre.log1p.includes(column.name);
    const standardize =
      pre.standardize === true || (Array.isArray(pre.standardize) && pre.standardize.includes(column.name));
    if (kind === 'one_hot' && log1p)
      throw datasetError(
        `"${column.name}" is one-hot encoded; log1p needs a number column`,
        'preprocessing.log1p',
      );
    if (kind === 'one_hot' && Array.isArray(pre.standardize) && standardize) {
      throw datasetError(
        `"${column.name}" is one-hot encoded; only number columns are standardized`,
        'preprocessing.standardize',
      );
    }
    const own = pre.missing.columns[column.name];
    return {
      column,
      kind,
      missing: own ?? pre.missing.default,
      missingParam:
        own === undefined ? 'preprocessing.missing.default' : `preprocessing.missing.columns.${column.name}`,
      log1p,
      standardize: kind === 'number' && standardize,
    };
  });
  return { target, task: spec.task ?? inferTask(target), features: plans };
}

/** Text → classes; integers with few distinct values → classes; any other number → regression. */
function inferTask(target: TableColumn): TrainingTask {
  if (target.type === 'string') return 'classification';
  const distinct = new Set<number>();
  for (const [row, cell] of target.values.entries()) {
    const value = numericCell(cell, target.name, row, 'target');
    if (value === null) continue;
    if (!Number.isInteger(value)) return 'regression';
    distinct.add(value);
    if (distinct.size > MAX_INFERRED_CLASSES) return 'regression';
  }
  return 'classification';
}

function names(frame: TableFrame): string {
  const all = frame.columns.map((c) => `"${c.name}"`);
  return all.length > 20 ? `${all.slice(0, 20).join(', ')}, …` : all.join(', ');
}
