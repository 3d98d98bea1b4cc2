import type { TrainingTask } from '@modelport/contracts';

/**
 * What training fitted to turn raw rows into the model's input, as plain data: serving applies
 * exactly this (the ONNX exporter turns its arithmetic into graph nodes), so it holds numbers and
 * names only, never code. Feature order is the order of the model's input vector.
 */
export type PreprocessingState = TablePreprocessingState | ImagePreprocessingState;

interface CommonState {
  readonly version: 1;
  readonly task: TrainingTask;
  /** Class labels, sorted; output index i means `classes[i]`. Null for regression. */
  readonly classes: readonly string[] | null;
}

export interface TablePreprocessingState extends CommonState {
  readonly kind: 'table';
  readonly target: string;
  readonly features: readonly FeatureState[];
  /** Length of one input vector: one slot per number feature, one per category of a one-hot feature. */
  readonly inputWidth: number;
}

/** A number feature: `((log1p ? ln(1 + x) : x) - mean) / std`, a missing x first replaced by `fill`. */
export interface NumericFeatureState {
  readonly kind: 'number';
  readonly column: string;
  /** Replaces a missing cell; null when missing cells were dropped in training (serving refuses them). */
  readonly fill: number | null;
  readonly log1p: boolean;
  /** 0 and 1 when the column is not standardized. */
  readonly mean: number;
  readonly std: number;
}

/** A one-hot feature: one slot per category (as text, sorted); an unknown category sets none. */
export interface OneHotFeatureState {
  readonly kind: 'one_hot';
  readonly column: string;
  readonly fill: string | null;
  readonly categories: readonly string[];
}

export type FeatureState = NumericFeatureState | OneHotFeatureState;

/** Images: resized to width × height (stretched), `(pixel × scale - mean[c]) / std[c]`, NHWC. */
export interface ImagePreprocessingState extends CommonState {
  readonly kind: 'image';
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly scale: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];
}
