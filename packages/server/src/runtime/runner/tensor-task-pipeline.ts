import type { ModelInfo } from '../../wire/index.js';
import type { DynamicBatcher } from '../batching/index.js';
import { createOnnxTaskPipeline, isOnnxTask } from '../pipelines/onnx-pipeline.js';
import type { TaskPipeline } from '../pipelines/task-pipeline.js';

/**
 * The pipeline for `options.task` configured by `options.taskConfig` (the version config), or none
 * for other tasks. A config that does not fit the model throws, so the runner fails at start with
 * the reason instead of failing every request. Its tensor runs share the batcher's queue and
 * batches with plain tensor requests; the deadline is the runner's default timeout.
 */
export function tensorTaskPipeline(
  options: Record<string, unknown>,
  info: ModelInfo,
  batcher: DynamicBatcher,
): TaskPipeline | undefined {
  const { task, taskConfig = {} } = options;
  if (!isOnnxTask(task)) return undefined;
  return createOnnxTaskPipeline(task, taskConfig, info, (req, signal) => batcher.submit(req, { signal }));
}
