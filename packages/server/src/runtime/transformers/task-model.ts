import { AppError } from '../../platform/errors/index.js';
import type { EmbedResponse, PredictRequest, PredictResponse } from '../../wire/index.js';
import type { TransformersTask } from './transformers-options.js';

/** `GET /v1/info` of a transformers runner. */
export interface TaskInfo {
  task: TransformersTask;
  /** `model_type` from config.json, e.g. `whisper`, `bert`. */
  modelType: string;
  /** Text classification: the labels by class index, from `id2label`. */
  labels?: string[];
  /** Feature extraction: the length of each embedding. */
  dimension?: number;
}

/** The part of a request that runs in the queue, with the caller's abort (or deadline) signal. */
export type Work<T> = (signal: AbortSignal) => Promise<T>;

export interface TaskModel {
  info: TaskInfo;
  /** Checks the request where that is cheap (400/413/415 before queueing); the work does the rest. */
  prepare(request: PredictRequest): Work<PredictResponse>;
  /** Feature extraction only: the body of `/v1/embed`, with the deployment's pooling and normalization. */
  embed?(input: string[]): Work<EmbedResponse>;
  dispose(): Promise<void>;
}

/** Narrows a request to the model's task; other tasks are refused with 400 `task_not_supported`. */
export function requestFor<T extends TransformersTask>(
  request: PredictRequest,
  task: T,
): Extract<PredictRequest, { task: T }> {
  if (request.task !== task)
    throw new AppError('task_not_supported', `This model does ${task}, not ${request.task}.`, {
      param: 'task',
    });
  return request as Extract<PredictRequest, { task: T }>;
}
