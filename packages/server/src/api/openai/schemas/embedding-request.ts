import { z } from 'zod';
import { refuseTokenArrays } from './sampling-fields.js';

/** OpenAI's limit on inputs per embeddings request. */
export const MAX_EMBEDDING_INPUTS = 2048;

const text = z.string().min(1, 'empty strings cannot be embedded');

/** `POST /v1/embeddings` (`CreateEmbeddingRequest`), text inputs only. */
export const embeddingRequestSchema = z.object({
  model: z.string().min(1),
  input: refuseTokenArrays(z.union([text, z.array(text).min(1).max(MAX_EMBEDDING_INPUTS)]), 'inputs'),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  /** Checked against the vectors the model returns: the model's own size is the only one we serve. */
  dimensions: z.int().min(1).nullish(),
  user: z.string().nullish(),
});

export type EmbeddingRequestBody = z.infer<typeof embeddingRequestSchema>;
