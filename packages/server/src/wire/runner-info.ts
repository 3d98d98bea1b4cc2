import type { LlmInfo } from './generation.js';
import type { TransformersTask } from './task-names.js';
import type { ModelInfo } from './tensor.js';

/** Text and audio task models (transformers backend): what `GET /v1/info` of their runner says. */
export interface TaskInfo {
  task: TransformersTask;
  /** `model_type` from config.json, e.g. `whisper`, `bert`. */
  modelType: string;
  /** Text classification: the labels by class index, from `id2label`. */
  labels?: string[];
  /** Feature extraction: the length of each embedding. */
  dimension?: number;
  /** The ONNX dtype loaded: the config's, or the first the folder holds (`transformersDtypes`). */
  dtype?: string | Record<string, string>;
}

/** What a runner reports of its model when ready: tensors, a language model, or a task model. */
export type RunnerInfo = ModelInfo | LlmInfo | TaskInfo;
