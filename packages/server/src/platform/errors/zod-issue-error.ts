import type { ErrorCode } from '@modelport/contracts';
import type { z } from 'zod';
import { AppError } from './app-error.js';
import { unknownFieldsMessage } from './unknown-fields.js';

type Issue = z.core.$ZodIssue;

/** `rows.2.sepal_length`: the path of a zod issue as the caller wrote it. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * The one conversion of a failed zod parse: a 400 `validation_failed` naming the field at fault
 * (`param`) and listing every issue in `details`. `what` says which document was wrong (the request
 * body, a form, the version config the model was uploaded with); `paramPrefix` places the document
 * inside a larger one (`config.`); `code` is another 400 of the catalog where one says more.
 */
export function zodIssueError(
  error: z.ZodError,
  what: string,
  paramPrefix = '',
  code: ErrorCode = 'validation_failed',
): AppError {
  const first = error.issues[0];
  const { path, message } = first ? explain(first) : { path: [], message: 'bad value' };
  const at = issuePath(path);
  const param = `${paramPrefix}${at}`;
  const where = param === '' ? what : `${what}, ${param}`;
  return new AppError(code, `Invalid ${where}: ${message}`, {
    ...(param === '' ? {} : { param }),
    details: error.issues.map((i) => ({ path: issuePath(i.path), message: messageOf(i) })),
  });
}

/** Parses `value`, or throws the catalogued 400; a missing field reads "is required". */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value, {
    error: (issue) =>
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined,
  });
  if (result.success) return result.data;
  throw zodIssueError(result.error, what);
}

function messageOf(issue: Issue): string {
  return issue.code === 'unrecognized_keys' ? unknownFieldsMessage(issue.keys) : issue.message;
}

/** Unions report "Invalid input"; the branch that matched the value's type says what is wrong with it. */
function explain(issue: Issue): { path: PropertyKey[]; message: string } {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0)
    return { path: issue.path, message: messageOf(issue) };
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
