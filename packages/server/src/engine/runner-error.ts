import { type ErrorCode, errorCatalog } from '@modelport/contracts';
import { AppError } from '../platform/errors/index.js';

/**
 * A runner's error answer (`{error, code, param?}`) as an AppError of the same code, so the caller
 * sees what the runner meant; unreadable answers map by status.
 */
export function runnerError(status: number, body: string): AppError {
  let message = `runner answered ${status}`;
  let code: ErrorCode = status >= 500 ? 'runner_failed' : 'bad_request';
  let param: string | undefined;
  try {
    const parsed = JSON.parse(body) as { error?: string; code?: string; param?: string };
    if (parsed.error) message = parsed.error;
    if (parsed.code && parsed.code in errorCatalog) code = parsed.code as ErrorCode;
    param = parsed.param;
  } catch {
    // Not JSON: keep the status-derived code.
  }
  return new AppError(code, message, {
    ...(errorCatalog[code].retryable ? { retryAfterS: 1 } : {}),
    ...(param ? { param } : {}),
  });
}

/** What a runner reports when its start fails; the error it names (a refused config) when it names one. */
export function runnerStartError(msg: { message?: string; code?: string; param?: string }): Error {
  const message = msg.message ?? 'runner failed to start';
  if (!msg.code || !(msg.code in errorCatalog)) return new Error(message);
  return new AppError(msg.code as ErrorCode, message, msg.param ? { param: msg.param } : {});
}
