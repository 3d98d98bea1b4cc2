import { errorCatalog } from '@modelport/contracts';
import type { ModelportError } from './errors.js';

/** A failed attempt: the error it maps to, and the response headers when a response came back. */
export interface FailedAttempt {
  error: ModelportError;
  headers: Headers | undefined;
}

/** Longest `retry-after` obeyed; a longer (or unparsable) one falls back to backoff, as in openai-node. */
const MAX_RETRY_AFTER_MS = 60_000;
const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

/** openai-node's rules, plus the catalog's `retryable` when the body names a code this SDK knows. */
export function shouldRetry({ error, headers }: FailedAttempt): boolean {
  // The server's explicit word wins (a spent budget sends `false`).
  const explicit = headers?.get('x-should-retry');
  if (explicit === 'true') return true;
  if (explicit === 'false') return false;
  // No response at all: refused, reset, or our own idle timeout (openai-node retries those too).
  if (error.status === undefined) return true;
  // The catalog knows e.g. that a 409 `model_already_exists` or a 507 never heals by waiting.
  if (Object.hasOwn(errorCatalog, error.code)) {
    return errorCatalog[error.code as keyof typeof errorCatalog].retryable;
  }
  const { status } = error;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** How long to wait before retry number `retriesDone + 1`. */
export function retryDelayMs(headers: Headers | undefined, retriesDone: number): number {
  const asked = retryAfterMs(headers);
  if (asked !== undefined && asked >= 0 && asked < MAX_RETRY_AFTER_MS) return asked;
  const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** retriesDone, MAX_BACKOFF_MS);
  // Up to 25% shorter, so clients that failed together do not come back together.
  return backoff * (1 - Math.random() * 0.25);
}

/** `retry-after-ms` (non-standard, precise), else `retry-after` in seconds or as an HTTP date. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (!Number.isNaN(ms)) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - Date.now();
}
