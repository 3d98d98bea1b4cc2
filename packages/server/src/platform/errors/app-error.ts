import { type ErrorCode, errorCatalog } from '@modelport/contracts';

export interface AppErrorOptions {
  /** Seconds, sent as `Retry-After` on 429/503. */
  retryAfterS?: number;
  /** Machine-readable context (e.g. the list of validation issues). */
  details?: unknown;
  /** The field or parameter at fault, where one is. */
  param?: string;
  cause?: unknown;
}

/** The one error type services throw; every protocol renders it in its own shape. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterS: number | undefined;
  readonly details: unknown;
  readonly param: string | undefined;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    const def = errorCatalog[code];
    super(message ?? def.description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = def.status;
    this.retryable = def.retryable;
    this.retryAfterS = options.retryAfterS;
    this.details = options.details;
    this.param = options.param;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
