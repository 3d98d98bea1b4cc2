import type { z } from 'zod';
import { zodIssueError } from '../../platform/errors/index.js';

/** A runner request body checked against its schema; every issue listed, the first one named. */
export function parseRunnerBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw zodIssueError(parsed.error, 'runner request body');
}
