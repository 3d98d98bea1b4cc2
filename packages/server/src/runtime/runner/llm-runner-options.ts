import { z } from 'zod';
import { zodIssueError } from '../../platform/errors/index.js';

/** What a llama runner reads from `spec.options` (the deployment's LLM settings). */
export const llmRunnerOptionsSchema = z.object({
  contextSize: z.int().min(16).optional(),
  parallel: z.int().min(1).max(256).default(1),
  batchSize: z.int().min(1).optional(),
  gpu: z.union([z.literal('auto'), z.literal(false)]).default('auto'),
});
export type LlmRunnerOptions = z.infer<typeof llmRunnerOptionsSchema>;

export function parseLlmRunnerOptions(options: Record<string, unknown>): LlmRunnerOptions {
  const parsed = llmRunnerOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  throw zodIssueError(parsed.error, 'llama runner options', 'options.');
}
