import { z } from 'zod';
import { parseOrThrow } from '../../platform/errors/index.js';
import type { EmbedRequest, GenerationRequest } from '../../wire/index.js';

const toolCall = z.object({ id: z.string(), name: z.string().min(1), arguments: z.string() });

const message = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.string(),
  toolCallId: z.string().optional(),
  toolCalls: z.array(toolCall).optional(),
});

const tool = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({ type: z.literal('json_schema'), name: z.string(), schema: z.record(z.string(), z.unknown()) }),
]);

const sampling = {
  maxTokens: z.int().min(1),
  temperature: z.number().min(0).max(2),
  topP: z.number().min(0).max(1),
  seed: z.int().optional(),
  stop: z.array(z.string().min(1)).max(16),
  presencePenalty: z.number().min(-2).max(2),
  frequencyPenalty: z.number().min(-2).max(2),
  topLogprobs: z.int().min(0).max(20).optional(),
};

/** The body of `POST /v1/generate`: a GenerationRequest as the API process sends it. */
export const generationRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('chat'),
    ...sampling,
    messages: z.array(message).min(1),
    responseFormat: responseFormat.optional(),
    tools: z.array(tool).optional(),
    toolChoice: z.union([z.enum(['auto', 'none', 'required']), z.object({ name: z.string() })]).optional(),
  }),
  z.object({
    kind: z.literal('completion'),
    ...sampling,
    prompt: z.string(),
    responseFormat: responseFormat.optional(),
  }),
]);

/** Texts per request, as OpenAI allows per embeddings request. */
export const MAX_TEXTS = 2048;

/** The body of `POST /v1/embed`, for every model with the embeddings capability. */
export const embedRequestSchema = z.object({ input: z.array(z.string()).min(1).max(MAX_TEXTS) });

export function parseGenerationRequest(body: unknown): GenerationRequest {
  // JSON has no `undefined`, so zod's `?: T | undefined` is our `?: T`.
  return parseOrThrow(generationRequestSchema, body, 'runner request body') as GenerationRequest;
}

export function parseEmbedRequest(body: unknown): EmbedRequest {
  return parseOrThrow(embedRequestSchema, body, 'runner request body');
}
