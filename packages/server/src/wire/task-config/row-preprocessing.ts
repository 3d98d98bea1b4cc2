import { z } from 'zod';

/**
 * The steps a trained model's ONNX graph does not hold, applied by the serving side to each raw row
 * before the model sees it: filling a missing value, `log1p`, a linear scaling, one-hot encoding of
 * a category. Training stores them in the version's config (`preprocessing`), so a caller sends
 * rows with the dataset's own column names and values.
 */
const numberColumnSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('number'),
  /** Stands in for a missing value (null or absent); without it a missing value is refused. */
  fill: z.number().nullable().default(null),
  /** `log(1 + x)` before scaling; values at or below -1 are refused. */
  log1p: z.boolean().default(false),
  /** Values at or below this are refused (the graph takes `log(1 + x)` of a column itself: -1). */
  greaterThan: z.number().nullable().default(null),
  /** `(x - center) / scale` after `log1p`. */
  center: z.number().default(0),
  scale: z.number().positive().default(1),
});

const categoryColumnSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('category'),
  /** One input column per category, in this order (one-hot). */
  categories: z.array(z.string()).min(1).max(10_000),
  fill: z.string().nullable().default(null),
  /** A value training never saw: refuse it, or encode it as no category at all (zeros). */
  unknown: z.enum(['error', 'zeros']).default('error'),
});

export const rowPreprocessingSchema = z.strictObject({
  columns: z
    .array(z.discriminatedUnion('kind', [numberColumnSchema, categoryColumnSchema]))
    .min(1)
    .max(10_000)
    .refine((cols) => new Set(cols.map((c) => c.name)).size === cols.length, 'column names must be unique'),
});

/** A regression target that was transformed for training: predictions are turned back. */
export const targetTransformSchema = z.strictObject({
  center: z.number().default(0),
  scale: z.number().positive().default(1),
  /** The target was `log1p`'d: predictions get `expm1` after unscaling. */
  log1p: z.boolean().default(false),
});

export type RowPreprocessing = z.infer<typeof rowPreprocessingSchema>;
export type PreprocessedColumn = RowPreprocessing['columns'][number];
export type TargetTransform = z.infer<typeof targetTransformSchema>;

/** How many model inputs a column becomes. */
export function encodedWidth(column: PreprocessedColumn): number {
  return column.kind === 'number' ? 1 : column.categories.length;
}

/** Undoes the target's scaling (and `log1p`) on one predicted value. */
export function untransformTarget(value: number, transform: TargetTransform): number {
  const unscaled = value * transform.scale + transform.center;
  return transform.log1p ? Math.expm1(unscaled) : unscaled;
}
