import { AppError } from '../../platform/errors/index.js';
import type {
  EmbedResponse,
  PredictRequest,
  PredictResponse,
  TaskInfo,
  TransformersTask,
} from '../../wire/index.js';
import type { Work } from '../contract.js';

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
