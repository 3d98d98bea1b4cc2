import { z } from 'zod';
import type { TransformersTask } from '../task-names.js';
import { configIssuesError } from './config-error.js';

/** transformers.js dtypes; each picks an ONNX file suffix (`q8` → `*_quantized.onnx`, `fp32` → none). */
export const transformersDtypes = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type TransformersDtype = (typeof transformersDtypes)[number];
const dtypeSchema = z.enum(transformersDtypes);

/**
 * The version's config as a transformers runner reads it; other keys are left for other readers.
 * `dtype` may name one per session file, e.g. `{ encoder_model: 'fp32', decoder_model_merged: 'q8' }`.
 */
const transformersConfigSchema = z.looseObject({
  dtype: z.union([dtypeSchema, z.record(z.string(), dtypeSchema)]).default('fp32'),
  /** Feature extraction: the defaults of `/v1/embed` and of predict requests that omit them. */
  pooling: z.enum(['mean', 'cls']).default('mean'),
  normalize: z.boolean().default(false),
});
export type TransformersTaskConfig = z.infer<typeof transformersConfigSchema>;

export function resolveTransformersConfig(config: unknown, task: TransformersTask): TransformersTaskConfig {
  const parsed = transformersConfigSchema.safeParse(config ?? {});
  if (parsed.success) return parsed.data;
  throw configIssuesError(parsed.error, task);
}
