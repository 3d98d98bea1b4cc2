import { z } from 'zod';
import type { Datatype, ModelInfo, TensorSpec } from '../tensor.js';
import { configIssuesError, pickTensor, taskConfigError } from './config-error.js';

const TASK = 'image-classification';

/** Strict, so a misspelt key (`layuot`) is refused instead of silently falling back to a default. */
const imageSettingsSchema = z.strictObject({
  width: z.number().int().min(1).max(8192).optional(),
  height: z.number().int().min(1).max(8192).optional(),
  channels: z.enum(['gray', 'RGB', 'BGR']).default('RGB'),
  layout: z.enum(['NCHW', 'NHWC']).default('NCHW'),
  scale: z.number().default(1),
  mean: z.array(z.number()).min(1).max(3).optional(),
  std: z.array(z.number().positive()).min(1).max(3).optional(),
  resize: z.enum(['cover', 'contain', 'fill']).default('cover'),
  dtype: z.enum(['FP32', 'FP16']).optional(),
});

/** The version config holds other keys too (metrics, notes), so only these are read. */
const imageConfigSchema = z.object({
  image: imageSettingsSchema,
  labels: z.array(z.string()).optional(),
  outputKind: z.enum(['logits', 'probabilities']).default('probabilities'),
  input: z.string().min(1).optional(),
  output: z.string().min(1).optional(),
});

export type ChannelOrder = 'gray' | 'RGB' | 'BGR';

/** The config checked against the model, with every default filled in. */
export interface ImageTaskConfig {
  width: number;
  height: number;
  channels: ChannelOrder;
  layout: 'NCHW' | 'NHWC';
  scale: number;
  /** One entry per channel, in the model's channel order. */
  mean: readonly number[];
  std: readonly number[];
  resize: 'cover' | 'contain' | 'fill';
  dtype: 'FP32' | 'FP16';
  labels: readonly string[];
  outputKind: 'logits' | 'probabilities';
  input: string;
  output: string;
}

/** Checked where the model's interface is known: by the registry from the uploaded file, by the runner at load. */
export function resolveImageConfig(config: unknown, info: ModelInfo): ImageTaskConfig {
  const parsed = imageConfigSchema.safeParse(config);
  if (!parsed.success) throw configIssuesError(parsed.error, TASK);
  const { image, labels = [], outputKind } = parsed.data;
  const input = pickTensor(TASK, info.inputs, parsed.data.input, 'input');
  const output = pickTensor(TASK, info.outputs, parsed.data.output, 'output');
  const count = image.channels === 'gray' ? 1 : 3;
  const dims = modelDims(input, image.layout);
  const width = image.width ?? positive(dims.w);
  const height = image.height ?? positive(dims.h);
  if (width === undefined || height === undefined)
    throw taskConfigError(
      TASK,
      'config.image.width',
      `the model's input '${input.name}' has no fixed size; set width and height`,
    );
  checkDim(input, 'batch', dims.n, 1);
  checkDim(input, 'channel', dims.c, count);
  checkDim(input, 'height', dims.h, height);
  checkDim(input, 'width', dims.w, width);
  return {
    ...image,
    width,
    height,
    mean: perChannel(image.mean ?? [0], count, 'mean'),
    std: perChannel(image.std ?? [1], count, 'std'),
    dtype: inputDtype(input, image.dtype),
    labels,
    outputKind,
    input: input.name,
    output: output.name,
  };
}

type ModelDims = Record<'n' | 'c' | 'h' | 'w', number | undefined>;

function modelDims(input: TensorSpec, layout: 'NCHW' | 'NHWC'): ModelDims {
  if (input.shape.length !== 4)
    throw taskConfigError(
      TASK,
      'config.input',
      `input '${input.name}' has shape [${input.shape}], an image needs 4 dimensions`,
    );
  const [n, a, b, c] = input.shape;
  return layout === 'NCHW' ? { n, c: a, h: b, w: c } : { n, h: a, w: b, c };
}

function positive(dim: number | undefined): number | undefined {
  return dim !== undefined && dim > 0 ? dim : undefined;
}

/** A declared size (not `-1`) must match what the pipeline will feed. */
function checkDim(input: TensorSpec, what: string, declared: number | undefined, fed: number): void {
  if (declared === undefined || declared < 0 || declared === fed) return;
  const message = `input '${input.name}' [${input.shape}] takes ${declared} as its ${what} dimension, the config gives ${fed}`;
  throw taskConfigError(TASK, 'config.image', message);
}

function perChannel(values: number[], count: number, key: 'mean' | 'std'): number[] {
  if (values.length === count) return values;
  if (values.length === 1) return Array.from({ length: count }, () => values[0] ?? 0);
  throw taskConfigError(TASK, `config.image.${key}`, `${values.length} values for ${count} channel(s)`);
}

function inputDtype(input: TensorSpec, configured: 'FP32' | 'FP16' | undefined): 'FP32' | 'FP16' {
  const declared: Datatype = input.datatype;
  if (declared !== 'FP32' && declared !== 'FP16')
    throw taskConfigError(
      TASK,
      'config.input',
      `input '${input.name}' is ${declared}; image pipelines feed FP32 or FP16`,
    );
  if (configured !== undefined && configured !== declared)
    throw taskConfigError(
      TASK,
      'config.image.dtype',
      `${configured}, but input '${input.name}' is ${declared}`,
    );
  return declared;
}
