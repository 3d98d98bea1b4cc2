import type { Evaluation, HeldOutSplit } from '../../wire/training/index.js';
import type { OutputKind } from '../model/output-kind.js';
import type { PreparedData } from '../preprocess/prepared-data.js';
import { classificationScores } from './classification-scores.js';
import { regressionScores } from './regression-scores.js';

/** The rows scores are computed on: the test split, else validation, else (nothing held out) training. */
export function heldOutRows(data: PreparedData): { split: HeldOutSplit; rows: readonly number[] } {
  if (data.split.test.length > 0) return { split: 'test', rows: data.split.test };
  if (data.split.validation.length > 0) return { split: 'validation', rows: data.split.validation };
  return { split: 'train', rows: data.split.train };
}

/**
 * The model's scores on the held-out rows (`outputs`: its output rows for them) beside a baseline's
 * on the same rows: the training split's most frequent class, or its mean target.
 */
export function evaluateModel(
  data: PreparedData,
  output: OutputKind,
  outputs: Float32Array,
  held: { split: HeldOutSplit; rows: readonly number[] },
): Evaluation {
  const actual = held.rows.map((r) => data.targets[r] as number);
  const train = data.split.train.map((r) => data.targets[r] as number);
  if (output.kind === 'value') {
    const mean = train.reduce((a, b) => a + b, 0) / train.length;
    return {
      task: 'regression',
      split: held.split,
      rows: actual.length,
      model: regressionScores(actual, outputs),
      baseline: {
        ...regressionScores(
          actual,
          actual.map(() => mean),
        ),
        predicts: mean,
      },
    };
  }
  const classes = data.state.classes ?? [];
  const predicted = predictedClasses(output, outputs, actual.length);
  const majority = mostFrequentClass(train, classes.length);
  return {
    task: 'classification',
    split: held.split,
    rows: actual.length,
    model: classificationScores(actual, predicted, classes),
    baseline: {
      ...classificationScores(
        actual,
        actual.map(() => majority),
        classes,
      ),
      predicts: classes[majority] ?? '',
    },
  };
}

/** argmax of each softmax row; for one sigmoid unit, class 1 from 0.5 up. */
export function predictedClasses(output: OutputKind, outputs: Float32Array, rows: number): number[] {
  if (output.kind === 'sigmoid') return Array.from(outputs.subarray(0, rows), (p) => (p >= 0.5 ? 1 : 0));
  const k = output.kind === 'softmax' ? output.classes : 1;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let c = 1; c < k; c++)
      if ((outputs[r * k + c] as number) > (outputs[r * k + best] as number)) best = c;
    return best;
  });
}

/** The most frequent class index; a tie goes to the lower index. */
function mostFrequentClass(labels: readonly number[], classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const l of labels) counts[l] = (counts[l] as number) + 1;
  return counts.indexOf(Math.max(...counts));
}
