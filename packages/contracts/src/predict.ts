import { z } from 'zod';

/**
 * `POST /api/v1/predict/{model}` as JSON: the field that carries the input depends on the model's
 * task (`image` or `audio` as base64, `text`, or `rows`); the rest are pipeline options.
 */
export const predictBodySchema = z.strictObject({
  /** An image or audio file, whichever the model's task takes. */
  file: z.base64().optional(),
  image: z.base64().optional(),
  audio: z.base64().optional(),
  text: z.union([z.string(), z.array(z.string()).min(1).max(256)]).optional(),
  /** Numbers; a trained model's rows may also hold category strings and null for a missing value. */
  rows: z
    .array(z.record(z.string(), z.union([z.number(), z.string(), z.null()])))
    .min(1)
    .max(10_000)
    .optional(),
  topK: z.number().int().min(1).max(100).optional(),
  language: z.string().min(2).max(16).optional(),
  timestamps: z.boolean().optional(),
  pooling: z.enum(['mean', 'cls', 'none']).optional(),
  normalize: z.boolean().optional(),
});
export type PredictBody = z.infer<typeof predictBodySchema>;

const labelScore = z.object({ label: z.string(), score: z.number() });

export const predictResponseSchema = z.discriminatedUnion('task', [
  z.object({ task: z.literal('image-classification'), predictions: z.array(labelScore) }),
  z.object({
    task: z.literal('automatic-speech-recognition'),
    text: z.string(),
    durationS: z.number(),
    language: z.string().optional(),
    chunks: z.array(z.object({ text: z.string(), start: z.number(), end: z.number().nullable() })).optional(),
  }),
  z.object({ task: z.literal('text-classification'), predictions: z.array(z.array(labelScore)) }),
  z.object({
    task: z.literal('feature-extraction'),
    embeddings: z.array(z.array(z.number())),
    promptTokens: z.number(),
  }),
  z.object({
    task: z.literal('tabular'),
    predictions: z.array(z.record(z.string(), z.union([z.number(), z.string()]))),
  }),
]);
export type PredictResult = z.infer<typeof predictResponseSchema>;
