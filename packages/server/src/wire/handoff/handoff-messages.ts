import type { DatasetSource, TrainingResult } from '../training/index.js';

/**
 * The step between a trained model and the registry, in its own worker: export to ONNX with the
 * preprocessing the graph can hold, check the export against the trained model on the validation
 * rows, and describe how serving feeds it. Its `workerData`:
 */
export interface HandoffInput {
  readonly result: TrainingResult;
  /** The dataset again: the parity check feeds the export the validation rows as serving will. */
  readonly source: DatasetSource;
  /** Where `model.onnx` is written. */
  readonly outDir: string;
  /** Largest |difference| allowed between the trained model's and the export's outputs. */
  readonly tolerance: number;
}

export interface ParityFigures {
  readonly maxAbsDiff: number;
  readonly tolerance: number;
  /** Validation rows (or images) compared. */
  readonly rows: number;
  readonly passed: boolean;
}

/** The version config of a trained model: the task's pipeline settings (raw rows or images in). */
export interface HandoffServing {
  readonly task: 'tabular' | 'image-classification';
  readonly config: Record<string, unknown>;
}

export type HandoffMessage =
  | {
      readonly type: 'exported';
      readonly onnxPath: string;
      readonly parity: ParityFigures;
      readonly serving: HandoffServing;
      /** Library → version (TensorFlow.js, onnxruntime-node). */
      readonly libraries: Readonly<Record<string, string>>;
    }
  | {
      readonly type: 'failed';
      readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
    };
