import type { PreprocessingState } from '../../wire/training/index.js';
import type { RowSplit } from './split-rows.js';

/**
 * A dataset ready to train on: every kept row's model input decoded and preprocessed once, its
 * target (a class index, or the value for regression), and the split.
 */
export interface PreparedData {
  readonly state: PreprocessingState;
  /** Shape of one example. */
  readonly inputShape: readonly number[];
  /** Kept rows × input size, row after row. */
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  /** For each kept row, its index in the dataset frame (rows or image items). */
  readonly frameRows: readonly number[];
  /** Indices into the kept rows. */
  readonly split: RowSplit;
}

export function exampleSize(data: PreparedData): number {
  return data.inputShape.reduce((a, b) => a * b, 1);
}
