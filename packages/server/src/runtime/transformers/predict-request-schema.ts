import { z } from 'zod';
import { AppError, parseOrThrow } from '../../platform/errors/index.js';
import type { PredictRequest } from '../../wire/index.js';
import { MAX_TEXTS } from '../runner/runner-request-schemas.js';

const texts = z.array(z.string()).min(1).max(MAX_TEXTS);

/** The body of `POST /v1/predict` for the tasks a transformers runner serves; audio is base64. */
export const transformersPredictSchema = z.discriminatedUnion('task', [
  z.object({
    task: z.literal('automatic-speech-recognition'),
    audio: z.string().min(1),
    language: z.string().min(2).max(16).optional(),
    timestamps: z.boolean().optional(),
  }),
  z.object({ task: z.literal('text-classification'), texts, topK: z.int().min(1).max(1000).optional() }),
  z.object({
    task: z.literal('feature-extraction'),
    texts,
    pooling: z.enum(['mean', 'cls', 'none']).optional(),
    normalize: z.boolean().optional(),
  }),
]);

/** Another task's request is `task_not_supported`, so the caller learns the model's task, not a schema error. */
export function parsePredictRequest(body: unknown, task: string): PredictRequest {
  const sent = (body as { task?: unknown } | null)?.task;
  if (typeof sent === 'string' && sent !== task)
    throw new AppError('task_not_supported', `This model does ${task}, not ${sent}.`, { param: 'task' });
  // JSON has no `undefined`, so zod's `?: T | undefined` is our `?: T`.
  return parseOrThrow(transformersPredictSchema, body, 'runner request body') as PredictRequest;
}
