import type { EpochMetrics, ParityCheck, TrainingPhase, TrainingResult } from '@modelport/contracts';

/** What one job's worker is asked to do. */
export interface WorkerTask {
  jobId: string;
  /** The training spec as validated (the job's own fields removed). */
  spec: Record<string, unknown>;
  dataset: { path: string; format: string };
  /** The job's folder: checkpoints and the exported model live under it. */
  workDir: string;
  /** Continue from the last checkpoint in `workDir` (a job resumed after a restart). */
  resume: boolean;
  /** Threads the worker may use (its share of the CPU budget). */
  threads: number;
  maxMemoryMb: number;
}

/** What a worker reports while it runs. */
export type WorkerReport =
  | { type: 'phase'; phase: TrainingPhase }
  | { type: 'epoch'; epoch: EpochMetrics; epochs: number; metric: 'accuracy' | 'mae' | null }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string };

/** How the model is served: what the version's config needs so that predict takes raw input. */
export type ServingDescription =
  | {
      task: 'tabular';
      /** The version config's task part: preprocessing, labels or targets, input and output names. */
      config: Record<string, unknown>;
    }
  | { task: 'image-classification'; config: Record<string, unknown> };

export type TrainedScores = Pick<
  TrainingResult,
  | 'metric'
  | 'evaluatedOn'
  | 'metrics'
  | 'baseline'
  | 'perClass'
  | 'confusion'
  | 'labels'
  | 'epochsRun'
  | 'bestEpoch'
  | 'stoppedBy'
>;

export interface TrainedModel {
  /** The exported ONNX file, inside the job's folder. */
  onnxPath: string;
  parity: ParityCheck;
  /** The evaluation, as the job's result shows it. */
  scores: TrainedScores;
  serving: ServingDescription;
  /** Library name → version the worker trained and checked with (tfjs, onnxruntime). */
  libraries: Record<string, string>;
  seed: number | null;
}

export interface WorkerFailure {
  /** A catalog code (`training_data_invalid`, `export_parity_failed`, `training_failed`). */
  code: string;
  message: string;
  /** The spec field or dataset column at fault, where there is one. */
  param: string | null;
  details?: unknown;
}

export type WorkerOutcome =
  | { kind: 'trained'; model: TrainedModel }
  | { kind: 'failed'; error: WorkerFailure }
  /** Stopped from outside (`stop()`): the job is cancelled or its server is closing. */
  | { kind: 'stopped' };

export interface TrainingWorker {
  readonly done: Promise<WorkerOutcome>;
  /** Ends the worker (its process or thread is terminated); `done` then resolves `stopped`. */
  stop(): Promise<void>;
}

export type WorkerLauncher = (task: WorkerTask, report: (r: WorkerReport) => void) => TrainingWorker;
