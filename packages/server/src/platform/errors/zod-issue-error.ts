import type { z } from 'zod';
import { AppError } from './app-error.js';

/** `rows.2.sepal_length`: the path of a zod issue as the caller wrote it. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * The first issue of a failed parse as a 400 naming the field at fault; `what` says which document
 * was wrong (the request body, or the version config the model was uploaded with).
 */
export function zodIssueError(error: z.ZodError, what: string, paramPrefix = ''): AppError {
  const issue = error.issues[0];
  const at = issue ? issuePath(issue.path) : '';
  const param = `${paramPrefix}${at}`;
  const where = param === '' ? what : `${what}, ${param}`;
  return new AppError('validation_failed', `Invalid ${where}: ${issue?.message ?? 'bad value'}`, {
    ...(param === '' ? {} : { param }),
    details: error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })),
  });
}
