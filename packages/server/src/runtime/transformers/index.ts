export type { PipelineLoad } from './load-pipeline.js';
export { loadTaskModel } from './load-task-model.js';
export type { TaskModel } from './task-model.js';
export { transformersBackend } from './transformers-backend.js';
export {
  parseTransformersOptions,
  type TaskConfig,
  type TransformersOptions,
} from './transformers-options.js';
