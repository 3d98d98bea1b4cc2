import { z } from 'zod';
import type { TransformersTask } from '../task-names.js';
import { configIssuesError, taskConfigError } from './config-error.js';

/**
 * transformers.js dtypes, in the order one is chosen when the config names none: the first whose
 * ONNX files the folder holds (full precision first, then half, then quantized ones).
 */
export const transformersDtypes = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type TransformersDtype = (typeof transformersDtypes)[number];
const dtypeSchema = z.enum(transformersDtypes);

/** The ONNX file suffix of each dtype, as transformers.js names files (`q8` → `model_quantized.onnx`). */
export const dtypeFileSuffix: Readonly<Record<TransformersDtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

/**
 * The version's config as a transformers runner reads it; other keys are left for other readers.
 * `dtype` may name one per session file, e.g. `{ encoder_model: 'fp32', decoder_model_merged: 'q8' }`;
 * absent, the runner chooses from the files (`transformersDtypes`).
 */
const transformersConfigSchema = z.looseObject({
  dtype: z.union([dtypeSchema, z.record(z.string(), dtypeSchema)]).optional(),
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

/** `encoder_model_quantized.onnx` → q8; a name without a dtype suffix is fp32. */
export function dtypeOfOnnxFile(fileName: string): TransformersDtype {
  const base = fileName.replace(/\.onnx$/, '');
  const suffixed = transformersDtypes.find((d) => d !== 'fp32' && base.endsWith(dtypeFileSuffix[d]));
  return suffixed ?? 'fp32';
}

/** `model.onnx (fp32), model_quantized.onnx (q8)`: what a folder's `onnx/` holds, for messages. */
export function describeOnnxFiles(fileNames: readonly string[]): string {
  return fileNames.map((f) => `${f} (${dtypeOfOnnxFile(f)})`).join(', ') || 'no .onnx file';
}

/**
 * A configured dtype the folder has no file of, refused with the files it does have. `onnxFiles` are
 * the names in the folder's `onnx/`. A per-file dtype needs `onnx/<file><suffix>.onnx` for each file.
 */
export function checkDtypeFiles(
  task: TransformersTask,
  dtype: TransformersTaskConfig['dtype'],
  onnxFiles: readonly string[],
): void {
  if (dtype === undefined) return;
  const holds = `onnx/ holds: ${describeOnnxFiles(onnxFiles)}`;
  if (typeof dtype === 'string') {
    if (onnxFiles.some((f) => dtypeOfOnnxFile(f) === dtype)) return;
    const message = `no ONNX file of dtype ${dtype} (*${dtypeFileSuffix[dtype]}.onnx); ${holds}`;
    throw taskConfigError(task, 'config.dtype', message);
  }
  for (const [file, fileDtype] of Object.entries(dtype)) {
    const wanted = `${file}${dtypeFileSuffix[fileDtype]}.onnx`;
    if (!onnxFiles.includes(wanted))
      throw taskConfigError(task, `config.dtype.${file}`, `${fileDtype} needs onnx/${wanted}; ${holds}`);
  }
}
