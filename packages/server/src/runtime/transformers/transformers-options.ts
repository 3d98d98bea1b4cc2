import { z } from 'zod';
import { zodIssueError } from '../../platform/errors/index.js';
import { transformersTasks } from '../../wire/index.js';

/** transformers.js dtypes; each picks an ONNX file suffix (`q8` → `*_quantized.onnx`, `fp32` → none). */
const dtype = z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']);

/**
 * The version's config as far as this runner reads it; other keys are left for other readers.
 * `dtype` may name one per session file, e.g. `{ encoder_model: 'fp32', decoder_model_merged: 'q8' }`.
 */
const taskConfigSchema = z.looseObject({
  dtype: z.union([dtype, z.record(z.string(), dtype)]).default('fp32'),
  /** Feature extraction: the defaults of `/v1/embed` and of predict requests that omit them. */
  pooling: z.enum(['mean', 'cls']).default('mean'),
  normalize: z.boolean().default(false),
});

/** What a transformers runner reads from `spec.options`: the task and the version's config. */
export const transformersOptionsSchema = z.object({
  task: z.enum(transformersTasks),
  taskConfig: taskConfigSchema.default({ dtype: 'fp32', pooling: 'mean', normalize: false }),
});
export type TransformersOptions = z.infer<typeof transformersOptionsSchema>;
export type TaskConfig = TransformersOptions['taskConfig'];

export function parseTransformersOptions(options: Record<string, unknown>): TransformersOptions {
  const parsed = transformersOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  throw zodIssueError(parsed.error, 'transformers runner options', 'options.');
}
