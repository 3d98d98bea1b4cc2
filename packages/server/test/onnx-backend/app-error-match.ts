import { expect } from 'vitest';
import { AppError } from '../../src/platform/errors/app-error.js';

/** Awaits a rejection and checks it is an AppError with this code and a message matching `message`. */
export async function expectAppError(
  work: Promise<unknown>,
  code: string,
  message: RegExp,
): Promise<AppError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const appErr = err as AppError;
  expect({ code: appErr.code, message: appErr.message }).toEqual({
    code,
    message: expect.stringMatching(message),
  });
  return appErr;
}
