import { z } from 'zod';
import { zodIssueError } from '../../../platform/errors/index.js';

/** The most rows one request may carry, as the public predict API allows. */
export const MAX_TABULAR_ROWS = 10_000;

/** Values are checked by `rowsTensor`, which names the row and field of a bad one. */
const tabularRequestSchema = z.object({
  task: z.literal('tabular'),
  rows: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_TABULAR_ROWS),
});

export type TabularRequest = z.infer<typeof tabularRequestSchema>;

export function parseTabularRequest(request: unknown): TabularRequest {
  const parsed = tabularRequestSchema.safeParse(request);
  if (!parsed.success) throw zodIssueError(parsed.error, 'tabular request');
  return parsed.data;
}
