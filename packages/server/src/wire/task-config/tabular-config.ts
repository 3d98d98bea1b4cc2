import { z } from 'zod';
import type { ModelInfo, TensorSpec } from '../tensor.js';
import { configIssuesError, pickTensor, taskConfigError } from './config-error.js';
import {
  encodedWidth,
  type RowPreprocessing,
  rowPreprocessingSchema,
  type TargetTransform,
  targetTransformSchema,
} from './row-preprocessing.js';

const TASK = 'tabular';

const tabularConfigSchema = z.object({
  /** Optional with `preprocessing`, whose columns are then the features. */
  features: z
    .array(z.string().min(1))
    .min(1)
    .refine((names) => new Set(names).size === names.length, 'feature names must be unique')
    .optional(),
  preprocessing: rowPreprocessingSchema.optional(),
  targetTransform: targetTransformSchema.optional(),
  labels: z.array(z.string()).optional(),
  targets: z.array(z.string().min(1)).optional(),
  outputKind: z.enum(['probabilities', 'logits', 'values']).optional(),
  input: z.string().min(1).optional(),
  output: z.string().min(1).optional(),
});

export interface TabularTaskConfig {
  /** The fields a row carries: the input tensor's columns, or the raw columns `preprocessing` encodes. */
  features: string[];
  /** Applied to raw rows before the model (a trained model's imputation, one-hot, scaling). */
  preprocessing: RowPreprocessing | null;
  /** Turns a regression model's outputs back into the target's unit. */
  targetTransform: TargetTransform | null;
  labels: string[];
  /** Names of a regression model's output columns. */
  targets: string[];
  outputKind: 'probabilities' | 'logits' | 'values';
  input: string;
  output: string;
  /** The model takes one row per run (its batch dimension is fixed at 1), else all rows at once. */
  oneRowPerRun: boolean;
}

/** `outputKind` defaults to `probabilities` when the config has labels, else `values` (regression). */
export function resolveTabularConfig(config: unknown, info: ModelInfo): TabularTaskConfig {
  const parsed = tabularConfigSchema.safeParse(config);
  if (!parsed.success) throw configIssuesError(parsed.error, TASK);
  const { labels = [], targets = [], preprocessing } = parsed.data;
  const features = preprocessing ? preprocessing.columns.map((c) => c.name) : parsed.data.features;
  if (!features)
    throw taskConfigError(TASK, 'config.features', 'the config needs `features` or `preprocessing`');
  const width = preprocessing
    ? preprocessing.columns.reduce((sum, c) => sum + encodedWidth(c), 0)
    : features.length;
  const input = pickTensor(TASK, info.inputs, parsed.data.input, 'input');
  const output = pickTensor(TASK, info.outputs, parsed.data.output, 'output');
  return {
    features,
    preprocessing: preprocessing ?? null,
    targetTransform: parsed.data.targetTransform ?? null,
    labels,
    targets,
    outputKind: parsed.data.outputKind ?? (labels.length > 0 ? 'probabilities' : 'values'),
    input: input.name,
    output: output.name,
    oneRowPerRun: checkInput(
      input,
      width,
      preprocessing
        ? `the config's preprocessing makes ${width} input columns`
        : `the config lists ${width} features`,
    ),
  };
}

/** The input must be FP32 [rows, features]; returns whether its batch dimension is fixed at 1. */
function checkInput(input: TensorSpec, featureCount: number, counted: string): boolean {
  const [rows, columns] = input.shape;
  const fail = (message: string) =>
    taskConfigError(
      TASK,
      'config.input',
      `input '${input.name}' is ${input.datatype} [${input.shape}]; ${message}`,
    );
  if (input.datatype !== 'FP32') throw fail('tabular pipelines feed FP32');
  if (input.shape.length !== 2 || rows === undefined || columns === undefined)
    throw fail('tabular pipelines feed [rows, features]');
  if (columns >= 0 && columns !== featureCount) throw fail(counted);
  if (rows > 1) throw fail('a fixed batch of more than one row is not supported');
  return rows === 1;
}
