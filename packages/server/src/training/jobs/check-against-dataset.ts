import type { TrainingJobRequest } from '@modelport/contracts';
import { AppError } from '../../platform/errors/index.js';
import type { DatasetShape } from './job-ports.js';

function bad(param: string, message: string): AppError {
  return new AppError('validation_failed', `Invalid training job, ${param}: ${message}`, { param });
}

/**
 * What the dataset's inferred schema already shows wrong with the spec, refused before a job is
 * queued (the worker finds the rest, cell by cell, and fails the job naming the row and column).
 */
export function checkAgainstDataset(req: TrainingJobRequest, shape: DatasetShape): void {
  if (shape.kind === 'images') {
    checkImages(req, shape);
    return;
  }
  const columns = new Map(shape.columns.map((c) => [c.name, c]));
  const known = [...columns.keys()].join(', ');
  if (req.target === undefined)
    throw bad('target', `A table dataset needs a target column (one of ${known}).`);
  const target = columns.get(req.target);
  if (!target) throw bad('target', `The dataset has no column '${req.target}'; it has ${known}.`);
  if (target.distinct !== null && target.distinct < 2)
    throw bad(
      'target',
      `The target '${req.target}' holds ${target.distinct === 0 ? 'no value' : 'one value only'}; there is nothing to learn.`,
    );
  if (req.task === 'regression' && target.type === 'string')
    throw bad('task', `Regression needs a number target; '${req.target}' holds text.`);
  const named: [string, string][] = [
    ...(req.features ?? []).map((c, i): [string, string] => [`features.${i}`, c]),
    ...req.preprocessing.log1p.map((c, i): [string, string] => [`preprocessing.log1p.${i}`, c]),
    ...(req.preprocessing.oneHot ?? []).map((c, i): [string, string] => [`preprocessing.oneHot.${i}`, c]),
    ...(Array.isArray(req.preprocessing.standardize) ? req.preprocessing.standardize : []).map(
      (c, i): [string, string] => [`preprocessing.standardize.${i}`, c],
    ),
    ...Object.keys(req.preprocessing.missing.columns).map((c): [string, string] => [
      `preprocessing.missing.columns.${c}`,
      c,
    ]),
  ];
  for (const [param, name] of named) {
    if (!columns.has(name)) throw bad(param, `The dataset has no column '${name}'; it has ${known}.`);
  }
  for (const [i, name] of req.preprocessing.log1p.entries()) {
    if (columns.get(name)?.type === 'string')
      throw bad(`preprocessing.log1p.${i}`, `log1p needs a number column; '${name}' holds text.`);
  }
  if (req.model && 'preset' in req.model && req.model.preset === 'lenet')
    throw bad('model.preset', 'lenet takes images; this dataset is a table.');
}

function checkImages(req: TrainingJobRequest, shape: DatasetShape & { kind: 'images' }): void {
  if (req.target !== undefined)
    throw bad('target', 'An image dataset has no target column: the class is the sub-folder.');
  if (req.features !== undefined) throw bad('features', 'An image dataset has no feature columns.');
  if (req.task === 'regression') throw bad('task', 'An image dataset trains a classifier.');
  if (shape.classes.length < 2)
    throw bad(
      'datasetId',
      `The image dataset has ${shape.classes.length} class folder(s); a classifier needs two or more.`,
    );
}
