import { AppError } from '../../platform/errors/index.js';
import { type HubTarget, hubNetworkError, hubStatusError } from './hub-errors.js';

export interface HubHttpOptions {
  /** Base URL of the Hub or mirror, without a trailing slash. */
  endpoint: string;
  token: string | undefined;
  /** For the answer's headers, then for each wait for more body bytes. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface HubRequest {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Non-2xx statuses the caller handles itself (a download's 416). */
  allow?: readonly number[];
}

/** What the Hub says about an LFS file on its own answer, before redirecting to its storage. */
export interface LinkedHeaders {
  etag: string | null;
  size: number | null;
  commit: string | null;
}

export interface HubResponse {
  response: Response;
  linked: LinkedHeaders;
  /** Re-arms the idle timer: call it for each chunk of the body read. */
  progress(): void;
  /** Stops the timer; call it once the body is read or given up. */
  done(): void;
  /** Set when the idle timer fired (the body read then fails with an abort). */
  readonly timedOut: boolean;
}

const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * One request to the Hub, following its redirects by hand: the token goes only to the endpoint's own
 * origin (never to the storage it redirects to), and the Hub's `X-Linked-*` headers of the first
 * answers are kept. Failures become catalogued errors (`hub_unreachable`, `hub_not_found`...).
 */
export async function hubFetch(
  url: string,
  req: HubRequest,
  http: HubHttpOptions,
  target: HubTarget,
): Promise<HubResponse> {
  const doFetch = http.fetch ?? fetch;
  const idle = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    idle.abort(new Error('idle timeout'));
  }, http.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, idle.signal]) : idle.signal;
  const origin = new URL(http.endpoint).origin;
  const linked: LinkedHeaders = { etag: null, size: null, commit: null };
  let current = new URL(url);
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers = new Headers(req.headers);
      if (http.token !== undefined && current.origin === origin) {
        headers.set('authorization', `Bearer ${http.token}`);
      }
      let response: Response;
      try {
        response = await doFetch(current, {
          method: req.method ?? 'GET',
          headers,
          redirect: 'manual',
          signal,
        });
      } catch (err) {
        req.signal?.throwIfAborted();
        throw hubNetworkError(current.origin, err, timedOut ? http.timeoutMs : undefined);
      }
      // Only the Hub's own answers speak for the file; its storage's ETags are other digests.
      if (current.origin === origin) collectLinked(linked, response.headers);
      const location = response.headers.get('location');
      if (REDIRECTS.has(response.status) && location) {
        await response.body?.cancel();
        current = new URL(location, current);
        continue;
      }
      if (!response.ok && !req.allow?.includes(response.status)) {
        await response.body?.cancel();
        throw hubStatusError(response.status, response.headers.get('x-error-code'), target);
      }
      return {
        response,
        linked,
        progress: () => timer.refresh(),
        done: () => clearTimeout(timer),
        get timedOut() {
          return timedOut;
        },
      };
    }
    throw new AppError(
      'hub_bad_response',
      `The Hub redirected ${target.what} more than ${MAX_REDIRECTS} times.`,
    );
  } catch (err) {
    clearTimeout(timer);
    throw err;
  }
}

function collectLinked(linked: LinkedHeaders, headers: Headers): void {
  const etag = headers.get('x-linked-etag');
  if (etag && linked.etag === null) linked.etag = etag.replace(/^W\//, '').replaceAll('"', '');
  const size = Number(headers.get('x-linked-size') ?? Number.NaN);
  if (Number.isSafeInteger(size) && linked.size === null) linked.size = size;
  const commit = headers.get('x-repo-commit');
  if (commit && linked.commit === null) linked.commit = commit;
}

/** The resolve URL of a file at a commit: `{endpoint}/{repo}/resolve/{commit}/{path}`. */
export function resolveUrl(endpoint: string, repo: string, revision: string, filePath: string): string {
  const encoded = filePath.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encoded}`;
}
