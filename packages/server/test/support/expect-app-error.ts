import type { ErrorCode } from '@modelport/contracts';
import { expect } from 'vitest';
import { AppError } from '../../src/platform/errors/app-error.js';

function check(err: unknown, code: ErrorCode, message?: RegExp): AppError {
  expect(err).toBeInstanceOf(AppError);
  const appError = err as AppError;
  expect(appError.code, appError.message).toBe(code);
  if (message) expect(appError.message).toMatch(message);
  return appError;
}

/** Awaits `promise`, which must reject with an AppError of `code` (and a message matching `message`). */
export async function expectAppError(promise: Promise<unknown>, code: ErrorCode, message?: RegExp) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return check(err, code, message);
}

export function expectAppErrorSync(fn: () => unknown, code: ErrorCode, message?: RegExp): AppError {
  try {
    fn();
  } catch (err) {
    return check(err, code, message);
  }
  throw new Error(`expected an AppError ${code}, nothing was thrown`);
}
