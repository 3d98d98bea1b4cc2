import type { TrainingSpecInput } from '@modelport/contracts';
import type { DatasetFrame } from '../../formats/index.js';
import type { TrainingEpoch, TrainingResult } from './training-result.js';

/**
 * Where the worker reads its dataset: a file or folder on this machine in a dataset format, or
 * (until every format has a reader, and in tests) the frame itself.
 */
export type DatasetSource =
  | { readonly kind: 'file'; readonly format: string; readonly path: string }
  | { readonly kind: 'frame'; readonly frame: DatasetFrame };

/** The training worker's `workerData`. */
export interface TrainerWorkerInput {
  /** Parsed (and refused when invalid) inside the worker. */
  readonly spec: TrainingSpecInput;
  readonly source: DatasetSource;
  /** Written after every epoch (one file, replaced atomically). */
  readonly checkpointDir: string;
  /** A checkpoint directory of an earlier run of the same job to continue from. */
  readonly resumeFrom?: string;
  /** The job's CPU budget. */
  readonly threads: number;
}

/** What the API side may post to the worker. */
export type TrainerCommand = { readonly type: 'cancel' };

export interface TrainerFailure {
  /** A code of the error catalog (`validation_failed`, `invalid_dataset`, `training_cancelled`, …). */
  readonly code: string;
  readonly message: string;
  /** The field of the specification at fault, where there is one. */
  readonly param?: string;
}

/** What the worker posts, in order: logs and epochs, then exactly one `done` or `failed`. */
export type TrainerMessage =
  | { readonly type: 'epoch'; readonly epoch: TrainingEpoch }
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly message: string }
  | { readonly type: 'done'; readonly result: TrainingResult }
  | { readonly type: 'failed'; readonly error: TrainerFailure };
