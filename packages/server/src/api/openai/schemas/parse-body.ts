import type { z } from 'zod';
import { AppError } from '../../../platform/errors/index.js';

type Issue = z.core.$ZodIssue;

/** Validates a request body; the first issue becomes a 400 whose `param` names the field, as OpenAI's do. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body, {
    error: (issue) =>
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined,
  });
  if (result.success) return result.data;
  const first = result.error.issues[0];
  if (!first) throw new AppError('validation_failed', 'Invalid request body.');
  const { path, message } = explain(first);
  if (path.length === 0) throw new AppError('validation_failed', `Invalid request body: ${message}`);
  const param = path.map(String).join('.');
  throw new AppError('validation_failed', `Invalid '${param}': ${message}`, { param });
}

/** Unions report "Invalid input"; the branch that matched the value's type says what is wrong with it. */
function explain(issue: Issue): { path: PropertyKey[]; message: string } {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0)
    return { path: issue.path, message: issue.message };
  const firsts = issue.errors.map((branch) => branch[0]).filter((i): i is Issue => i !== undefined);
  const deeper = firsts.find((i) => i.path.length > 0 || i.code !== 'invalid_type');
  if (deeper) {
    const inner = explain(deeper);
    return { path: [...issue.path, ...inner.path], message: inner.message };
  }
  const expected = [...new Set(firsts.map((i) => (i.code === 'invalid_type' ? i.expected : 'other')))];
  const missing = firsts.some((i) => i.message === 'is required');
  return { path: issue.path, message: missing ? 'is required' : `expected ${expected.join(' or ')}` };
}
