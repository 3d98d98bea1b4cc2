import type { ModelTask } from '@modelport/contracts';

/**
 * Which model tasks have a predict pipeline, and where it runs: around a plain ONNX model in the
 * runner (decode, resize, scale, label), or in a transformers.js folder (tokenizer or decoder).
 * The task names themselves are the contracts' `modelTasks`.
 */
export const onnxPipelineTasks = ['image-classification', 'tabular'] as const satisfies readonly ModelTask[];
export const transformersTasks = [
  'automatic-speech-recognition',
  'text-classification',
  'feature-extraction',
] as const satisfies readonly ModelTask[];
export const predictTasks = [...onnxPipelineTasks, ...transformersTasks] as const;

export type OnnxPipelineTask = (typeof onnxPipelineTasks)[number];
export type TransformersTask = (typeof transformersTasks)[number];
export type PredictTask = (typeof predictTasks)[number];

export function isTaskIn<T extends string>(list: readonly T[], task: unknown): task is T {
  return typeof task === 'string' && (list as readonly string[]).includes(task);
}
