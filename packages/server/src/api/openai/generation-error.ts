import { errorCatalog } from '@modelport/contracts';
import { AppError } from '../../platform/errors/index.js';
import type { GenerationEvent } from '../../wire/index.js';

type ErrorEvent = Extract<GenerationEvent, { type: 'error' }>;

/** An `error` event as the AppError it stands for; capacity errors get a `Retry-After`. */
export function generationError(event: ErrorEvent): AppError {
  const status: number = errorCatalog[event.code].status;
  return new AppError(event.code, event.message, status === 429 || status === 503 ? { retryAfterS: 1 } : {});
}
