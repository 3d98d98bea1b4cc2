export { InferenceQueue, type QueueOptions, type Timed } from './inference-queue.js';
export type { PipelineLoad } from './load-pipeline.js';
export { loadTaskModel } from './load-task-model.js';
export type { TaskInfo, TaskModel, Work } from './task-model.js';
export {
  parseTransformersOptions,
  type TaskConfig,
  type TransformersOptions,
  type TransformersTask,
  transformersTasks,
} from './transformers-options.js';
