import { z } from 'zod';

/**
 * A training job: which dataset, which column to learn, how to prepare the rows, which model, and
 * how to fit it. Every number has an explicit range so a typo fails here, not hours into a run;
 * unknown fields are refused, as in every other request.
 */

export const TRAINING_MAX_EPOCHS = 1000;
export const TRAINING_MAX_BATCH_SIZE = 4096;
export const TRAINING_MAX_LAYERS = 32;
export const TRAINING_MAX_UNITS = 8192;
export const TRAINING_MAX_SEED = 4_294_967_295;

const columnName = z.string().min(1).max(256);
const columnList = z.array(columnName).max(4096);
const seedSchema = z.number().int().min(0).max(TRAINING_MAX_SEED);
const learningRate = (fallback: number) =>
  z.number().gt(0).max(10).default(fallback).describe(`Step size, in (0, 10]; default ${fallback}.`);
const decay = (fallback: number, what: string) =>
  z.number().min(0).lt(1).default(fallback).describe(`${what}, in [0, 1); default ${fallback}.`);
const epsilon = z.number().gt(0).max(1).default(1e-7).describe('Numerical floor, in (0, 1]; default 1e-7.');

export const trainingTasks = ['classification', 'regression'] as const;
export type TrainingTask = (typeof trainingTasks)[number];

export const missingStrategySchema = z
  .union([
    z.enum(['drop', 'mean', 'median', 'most_frequent']),
    z.strictObject({ constant: z.union([z.number(), z.string().max(256)]) }),
  ])
  .describe(
    '`drop` removes the row; `mean`/`median` (number columns) and `most_frequent` fill from the training split; `{constant}` fills a given value.',
  );
export type MissingStrategy = z.infer<typeof missingStrategySchema>;

export const missingValuesSchema = z
  .strictObject({
    default: missingStrategySchema.default('drop').describe('For every feature column; default `drop`.'),
    columns: z
      .record(columnName, missingStrategySchema)
      .default({})
      .describe('Per-column strategies that override `default`.'),
  })
  .describe('Missing cells of feature columns; rows missing the target are always dropped.');

export const imagePreprocessingSchema = z
  .strictObject({
    width: z.number().int().min(1).max(1024).default(32).describe('Pixels; default 32.'),
    height: z.number().int().min(1).max(1024).default(32).describe('Pixels; default 32.'),
    channels: z
      .union([z.literal(1), z.literal(3)])
      .default(3)
      .describe('1 (grey) or 3 (RGB); default 3.'),
    scale: z
      .number()
      .gt(0)
      .max(1)
      .default(1 / 255)
      .describe('Multiplies each 0–255 pixel; default 1/255.'),
    mean: z
      .array(z.number().min(-1000).max(1000))
      .min(1)
      .max(3)
      .optional()
      .describe('Per channel, after scale.'),
    std: z.array(z.number().gt(0).max(1000)).min(1).max(3).optional().describe('Per channel, after mean.'),
  })
  .refine((i) => i.mean === undefined || i.mean.length === i.channels, {
    path: ['mean'],
    message: 'needs one value per channel',
  })
  .refine((i) => i.std === undefined || i.std.length === i.channels, {
    path: ['std'],
    message: 'needs one value per channel',
  });

export const splitSchema = z
  .strictObject({
    validation: z.number().min(0).max(0.5).default(0.2).describe('Share of rows, in [0, 0.5]; default 0.2.'),
    test: z.number().min(0).max(0.5).default(0.1).describe('Share of rows, in [0, 0.5]; default 0.1.'),
  })
  .describe('Held-out shares; stratified by class for classification.');

export const preprocessingSchema = z.strictObject({
  missing: missingValuesSchema.prefault({}),
  log1p: columnList.default([]).describe('Number columns replaced by ln(1 + x); values must be above -1.'),
  standardize: z
    .union([z.boolean(), columnList])
    .default(true)
    .describe('Scale number features to mean 0, std 1 (fitted on the training split): all, none, or these.'),
  oneHot: columnList.optional().describe('Columns one-hot encoded; default: the string feature columns.'),
  image: imagePreprocessingSchema.prefault({}).describe('For image datasets: size, channels, scaling.'),
  shuffleSeed: seedSchema.optional().describe('Seed of the shuffle and split; default: the job `seed`.'),
  split: splitSchema.prefault({}),
});

const activationSchema = z.enum(['relu', 'sigmoid', 'tanh', 'softmax', 'linear']);
export type TrainingActivation = z.infer<typeof activationSchema>;
const penalty = z.number().min(0).max(10).default(0).describe('Weight penalty, in [0, 10]; default 0.');
const windowSize = z.union([
  z.number().int().min(1).max(64),
  z.tuple([z.number().int().min(1).max(64), z.number().int().min(1).max(64)]),
]);

export const layerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('dense'),
    units: z.number().int().min(1).max(TRAINING_MAX_UNITS),
    activation: activationSchema.default('linear'),
    l1: penalty,
    l2: penalty,
  }),
  z.strictObject({ type: z.literal('dropout'), rate: z.number().min(0).lt(1) }),
  z.strictObject({
    type: z.literal('conv2d'),
    filters: z.number().int().min(1).max(1024),
    kernelSize: windowSize,
    strides: windowSize.default(1),
    padding: z.enum(['valid', 'same']).default('valid'),
    activation: activationSchema.default('linear'),
    l1: penalty,
    l2: penalty,
  }),
  z.strictObject({
    type: z.literal('maxPool2d'),
    poolSize: windowSize.default(2),
    strides: windowSize.optional().describe('Default: poolSize.'),
  }),
  z.strictObject({
    type: z.literal('avgPool2d'),
    poolSize: windowSize.default(2),
    strides: windowSize.optional().describe('Default: poolSize.'),
  }),
  z.strictObject({ type: z.literal('flatten') }),
]);
export type TrainingLayer = z.infer<typeof layerSchema>;

export const modelPresets = ['mlp-64-64-10', 'mlp-64-32-1', 'lenet'] as const;
export type ModelPreset = (typeof modelPresets)[number];

export const trainingModelSchema = z
  .strictObject({
    preset: z.enum(modelPresets).optional(),
    layers: z.array(layerSchema).min(1).max(TRAINING_MAX_LAYERS).optional(),
  })
  .refine((m) => (m.preset === undefined) !== (m.layers === undefined), {
    path: ['preset'],
    message: 'give either a preset or layers',
  })
  .describe(
    'A preset (`mlp-64-64-10`: dense 64 relu, 64 relu, softmax over the classes; `mlp-64-32-1`: dense 64 relu, 32 relu, 1 sigmoid, two classes; `lenet`: conv 6@5×5 relu, max-pool 2, conv 16@5×5 relu, max-pool 2, flatten, dense 120 relu, 84 relu, softmax; for images) or a list of layers ending in the output layer. Default: `mlp-64-64-10` for table classification, `lenet` for images, dense 64 relu, 32 relu, 1 linear for regression.',
  );

export const optimizerSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('sgd'),
      learningRate: learningRate(0.01),
      momentum: decay(0, 'Momentum'),
    }),
    z.strictObject({
      type: z.literal('adam'),
      learningRate: learningRate(0.001),
      beta1: decay(0.9, 'First-moment decay'),
      beta2: decay(0.999, 'Second-moment decay'),
      epsilon,
    }),
    z.strictObject({
      type: z.literal('rmsprop'),
      learningRate: learningRate(0.001),
      rho: decay(0.9, 'Decay of the squared-gradient average'),
      momentum: decay(0, 'Momentum'),
      epsilon,
    }),
  ])
  .describe('Default: adam with learning rate 0.001.');
export type TrainingOptimizer = z.infer<typeof optimizerSchema>;

export const trainingLosses = [
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
] as const;
export type TrainingLoss = (typeof trainingLosses)[number];

export const earlyStoppingSchema = z
  .strictObject({
    metric: z
      .enum(['valLoss', 'valMetric'])
      .default('valLoss')
      .describe('Watched each epoch; the metric is accuracy (higher is better) or MAE (lower).'),
    patience: z
      .number()
      .int()
      .min(0)
      .max(TRAINING_MAX_EPOCHS)
      .default(5)
      .describe('Epochs without progress; default 5.'),
    minDelta: z
      .number()
      .min(0)
      .max(1e6)
      .default(0)
      .describe('Smallest change that counts as progress; default 0.'),
    restoreBest: z.boolean().default(true).describe('End with the best epoch’s weights; default true.'),
  })
  .describe('Stop when the watched figure stops improving; needs a validation split.');

export const trainingSpecSchema = z
  .strictObject({
    datasetId: z.string().min(1).max(128),
    target: columnName
      .optional()
      .describe('The column to predict; required for tables, implicit (the class) for images.'),
    features: columnList.min(1).optional().describe('Input columns; default: every column but the target.'),
    task: z
      .enum(trainingTasks)
      .optional()
      .describe(
        'Default: classification when the target holds strings or at most 20 distinct integers, else regression.',
      ),
    preprocessing: preprocessingSchema.prefault({}),
    model: trainingModelSchema.optional(),
    optimizer: optimizerSchema.prefault({ type: 'adam' }),
    loss: z
      .enum(trainingLosses)
      .optional()
      .describe(
        'Default: sparse categorical cross-entropy (binary cross-entropy for one sigmoid output) for classification, mean squared error for regression.',
      ),
    epochs: z.number().int().min(1).max(TRAINING_MAX_EPOCHS).default(20).describe('1..1000; default 20.'),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(TRAINING_MAX_BATCH_SIZE)
      .default(32)
      .describe('1..4096; default 32.'),
    earlyStopping: earlyStoppingSchema.optional(),
    seed: seedSchema
      .default(42)
      .describe('Seeds weights, shuffles and dropout: a seed gives the same run; default 42.'),
    timeBudgetSeconds: z
      .number()
      .gt(0)
      .max(7 * 86_400)
      .optional()
      .describe('Stop training (and keep the model) once this much time has passed; at most 7 days.'),
  })
  .refine((s) => s.target === undefined || !s.features?.includes(s.target), {
    path: ['features'],
    message: 'must not include the target',
  });
export type TrainingSpec = z.infer<typeof trainingSpecSchema>;
export type TrainingSpecInput = z.input<typeof trainingSpecSchema>;
