import type { z } from 'zod';
import { AppError } from '../../platform/errors/index.js';

/** A runner request body checked against its schema; every issue listed, the first one named. */
export function parseRunnerBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: `/${i.path.join('/')}`, message: i.message }));
  const first = issues[0];
  throw new AppError(
    'validation_failed',
    `Invalid body: ${first ? `${first.path} ${first.message}` : 'bad value'}`,
    {
      details: issues,
      ...(first ? { param: first.path.slice(1).replaceAll('/', '.') } : {}),
    },
  );
}
