import { AppError } from '../../platform/errors/index.js';

/** What a request to the Hub was for, to name it in errors: "repository org/x", "file a.gguf of org/x". */
export interface HubTarget {
  what: string;
  /** Whether an `HF_TOKEN` was sent, which changes the advice for a refusal. */
  withToken: boolean;
}

const NOT_FOUND_CODES = new Set(['RepoNotFound', 'RevisionNotFound', 'EntryNotFound']);

/**
 * The catalogued error for a non-2xx answer of the Hub. The Hub answers 401 for a repository that
 * does not exist (to callers without access) with `X-Error-Code: RepoNotFound`, so that header is
 * read before the status.
 */
export function hubStatusError(status: number, errorCode: string | null, target: HubTarget): AppError {
  const tokenHint = target.withToken
    ? 'the token in HF_TOKEN has no access (accept the model’s terms on its page, or use another token)'
    : 'set HF_TOKEN to a token with access';
  if (status === 404 || (errorCode !== null && NOT_FOUND_CODES.has(errorCode))) {
    const privateHint = status === 401 || status === 403 ? ` (or it is private: ${tokenHint})` : '';
    return new AppError('hub_not_found', `The Hub has no ${target.what}${privateHint}.`);
  }
  if (status === 401 || status === 403) {
    return new AppError('hub_access_denied', `The Hub refused access to ${target.what}: ${tokenHint}.`);
  }
  if (status === 429 || status >= 500) {
    return new AppError('hub_unreachable', `The Hub answered ${status} for ${target.what}; try again later.`);
  }
  return new AppError('hub_bad_response', `The Hub answered ${status} for ${target.what}.`);
}

/** A request that never got an answer: refused connection, unknown host, reset, timeout. */
export function hubNetworkError(origin: string, err: unknown, timedOutMs: number | undefined): AppError {
  if (timedOutMs !== undefined) {
    return new AppError('hub_unreachable', `${origin} did not answer within ${timedOutMs} ms.`, {
      cause: err,
    });
  }
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const detail =
    cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
  return new AppError('hub_unreachable', `Could not reach ${origin} (${detail}); check HF_ENDPOINT.`, {
    cause: err,
  });
}
