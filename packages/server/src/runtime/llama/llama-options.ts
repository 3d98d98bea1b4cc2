import { z } from 'zod';
import { zodIssueError } from '../../platform/errors/index.js';

/** What the llama backend reads from the deployment's options: context, sequences, batch, GPU use. */
const llamaOptionsSchema = z.object({
  contextSize: z.int().min(16).optional(),
  parallel: z.int().min(1).max(256).default(1),
  batchSize: z.int().min(1).optional(),
  gpu: z.union([z.literal('auto'), z.literal(false)]).default('auto'),
});
export type LlamaOptions = z.infer<typeof llamaOptionsSchema>;

export function parseLlamaOptions(options: Record<string, unknown>): LlamaOptions {
  const parsed = llamaOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  throw zodIssueError(parsed.error, 'llama options', 'options.');
}
