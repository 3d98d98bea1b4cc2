import type { TrainingLoss } from '@modelport/contracts';
import type { PreprocessingState } from './preprocessing-state.js';

/** One epoch as the worker reports it. Validation figures are null without a validation split. */
export interface TrainingEpoch {
  /** 1-based. */
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainMetric: number;
  readonly valLoss: number | null;
  readonly valMetric: number | null;
  readonly ms: number;
}

/** `accuracy` for classification (higher is better), `mae` for regression (lower is better). */
export type TrainingMetricName = 'accuracy' | 'mae';

export interface ClassScores {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rows of this class in the evaluated split. */
  readonly support: number;
}

export interface ClassificationScores {
  readonly accuracy: number;
  readonly macroPrecision: number;
  readonly macroRecall: number;
  readonly macroF1: number;
  readonly perClass: readonly ClassScores[];
  /** `confusion[actual][predicted]`, in class order. */
  readonly confusion: readonly (readonly number[])[];
}

export interface RegressionScores {
  readonly mae: number;
  readonly rmse: number;
  readonly r2: number;
}

/** The model's scores on a held-out split beside a trivial baseline's on the same rows. */
export type Evaluation =
  | {
      readonly task: 'classification';
      readonly split: HeldOutSplit;
      readonly rows: number;
      readonly model: ClassificationScores;
      /** Always predicting the training split's most frequent class. */
      readonly baseline: ClassificationScores & { readonly predicts: string };
    }
  | {
      readonly task: 'regression';
      readonly split: HeldOutSplit;
      readonly rows: number;
      readonly model: RegressionScores;
      /** Always predicting the training split's mean target. */
      readonly baseline: RegressionScores & { readonly predicts: number };
    };

/** The test split when there is one, else validation; training rows only when nothing was held out. */
export type HeldOutSplit = 'test' | 'validation' | 'train';

/**
 * A trained TensorFlow.js layers model as `tf.io.ModelArtifacts` holds it: the Keras topology
 * (JSON), the weight manifest, and the weights as one little-endian float32 buffer in manifest
 * order. `tf.loadLayersModel(tf.io.fromMemory(artifacts))` rebuilds it.
 */
export interface TrainedModelArtifacts {
  readonly format: 'layers-model';
  readonly modelTopology: Record<string, unknown>;
  readonly weightSpecs: readonly {
    readonly name: string;
    readonly shape: readonly number[];
    readonly dtype: 'float32';
  }[];
  readonly weightData: ArrayBuffer;
  /** Shape of one input example (e.g. `[4]`, `[32, 32, 3]`). */
  readonly inputShape: readonly number[];
  /** Width of one output row. */
  readonly outputUnits: number;
}

/**
 * The trained model's outputs on the validation rows, to check an exported model against:
 * `inputs` are the preprocessed rows (the model's input), `rows` the indices of those rows (or
 * image items) in the dataset frame, for checking preprocessing as well.
 */
export interface ValidationPredictions {
  readonly rows: readonly number[];
  readonly inputs: Float32Array;
  readonly outputs: Float32Array;
}

export type StopReason = 'completed' | 'early_stopping' | 'time_budget';

export interface TrainingResult {
  readonly model: TrainedModelArtifacts;
  readonly preprocessing: PreprocessingState;
  readonly evaluation: Evaluation;
  readonly validation: ValidationPredictions;
  readonly history: readonly TrainingEpoch[];
  readonly metric: TrainingMetricName;
  readonly loss: TrainingLoss;
  readonly stoppedBy: StopReason;
  /** The epoch whose weights the model holds (the best one when early stopping restored it). */
  readonly bestEpoch: number;
  readonly backend: 'wasm' | 'cpu';
}
