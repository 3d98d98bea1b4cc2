import { AppError } from '../../platform/errors/index.js';

/** The shared limiter store cannot answer; rendered as 503 `service_unavailable`, never 500. */
export class LimiterUnavailableError extends AppError {
  constructor(cause: unknown) {
    super('service_unavailable', 'The rate limiter is unavailable; retry shortly.', {
      retryAfterS: 1,
      cause,
    });
    this.name = 'LimiterUnavailableError';
  }
}

export function isLimiterUnavailable(err: unknown): err is LimiterUnavailableError {
  return err instanceof LimiterUnavailableError;
}
