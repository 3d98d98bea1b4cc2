import { AppError } from '../../platform/errors/index.js';
import {
  isTaskIn,
  type ModelInfo,
  type OnnxPipelineTask,
  onnxPipelineTasks,
  type PredictRequest,
} from '../../wire/index.js';
import { createImagePipeline } from './image/index.js';
import { createTabularPipeline } from './tabular/index.js';
import type { TaskInfer, TaskPipeline } from './task-pipeline.js';

type PipelineFactory = (config: unknown, info: ModelInfo, infer: TaskInfer) => TaskPipeline;

const factories: Record<OnnxPipelineTask, PipelineFactory> = {
  'image-classification': createImagePipeline,
  tabular: createTabularPipeline,
};

/** Tasks served by a pipeline around a plain ONNX model (the others need a tokenizer or decoder). */
export function isOnnxTask(task: unknown): task is OnnxPipelineTask {
  return isTaskIn(onnxPipelineTasks, task);
}

/**
 * The pipeline for `task` around one model. `config` is the version config (checked against the
 * model's inputs and outputs now, so a wrong one fails at load, not at the first request).
 */
export function createOnnxTaskPipeline(
  task: OnnxPipelineTask,
  config: unknown,
  info: ModelInfo,
  infer: TaskInfer,
): TaskPipeline {
  const pipeline = factories[task](config, info, infer);
  return {
    run(request: PredictRequest, signal: AbortSignal) {
      const sent = (request as { task?: unknown } | null)?.task;
      if (sent !== task)
        return Promise.reject(
          new AppError('task_not_supported', `This model does ${task}, not ${String(sent)}.`, {
            param: 'task',
          }),
        );
      return pipeline.run(request, signal);
    },
  };
}
