import { fileDownloadInfo, HubApiError } from '@huggingface/hub';
import { z } from 'zod';
import { AppError } from '../../platform/errors/index.js';
import { type HubTarget, hubNetworkError, hubStatusError } from './hub-errors.js';
import { type HubHttpOptions, hubFetch } from './hub-fetch.js';

const siblingSchema = z.object({
  rfilename: z.string().min(1),
  size: z.number().int().nonnegative().optional(),
  lfs: z.object({ sha256: z.string(), size: z.number().int().nonnegative() }).optional(),
});
export type HubSibling = z.infer<typeof siblingSchema>;

const modelInfoSchema = z.object({
  sha: z.string().min(1),
  siblings: z.array(siblingSchema),
  pipeline_tag: z.string().nullish(),
});
export type HubModelInfo = z.infer<typeof modelInfoSchema>;

const MAX_MODEL_INFO_BYTES = 16 * 1024 * 1024;

/** The Hub's model API as a pull uses it: the files of a revision, and access to one file. */
export function createHubClient(http: HubHttpOptions) {
  const target = (what: string): HubTarget => ({ what, withToken: http.token !== undefined });

  return {
    http,

    /** `GET /api/models/{repo}/revision/{revision}?blobs=true`: the commit, files, sizes and LFS sha256s. */
    async modelInfo(repo: string, revision: string, signal?: AbortSignal): Promise<HubModelInfo> {
      const what = target(`repository ${repo} at revision ${revision}`);
      const url = `${http.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
      const res = await hubFetch(url, { signal, headers: { accept: 'application/json' } }, http, what);
      let body: unknown;
      try {
        if (Number(res.response.headers.get('content-length') ?? 0) > MAX_MODEL_INFO_BYTES) {
          throw new Error(`model info over ${MAX_MODEL_INFO_BYTES} bytes`);
        }
        const text = await res.response.text();
        if (text.length > MAX_MODEL_INFO_BYTES)
          throw new Error(`model info over ${MAX_MODEL_INFO_BYTES} bytes`);
        body = JSON.parse(text);
      } catch (err) {
        if (res.timedOut) throw hubNetworkError(new URL(url).origin, err, http.timeoutMs);
        throw new AppError('hub_bad_response', `The Hub's model info of ${repo} is not JSON.`, {
          cause: err,
        });
      } finally {
        res.done();
      }
      const parsed = modelInfoSchema.safeParse(body);
      if (!parsed.success) {
        throw new AppError(
          'hub_bad_response',
          `The Hub's model info of ${repo} lacks its commit (sha) or files (siblings).`,
        );
      }
      return parsed.data;
    },

    /**
     * Asks for the first byte of a file (through `@huggingface/hub`), which tells whether the token
     * may read it (a gated repository answers its model info but refuses its files) and its size.
     */
    async probeFile(repo: string, commit: string, filePath: string): Promise<{ sizeBytes: number }> {
      const what = target(`file ${filePath} of ${repo}`);
      let info: Awaited<ReturnType<typeof fileDownloadInfo>>;
      try {
        info = await fileDownloadInfo({
          repo: { type: 'model', name: repo },
          path: filePath,
          revision: commit,
          hubUrl: http.endpoint,
          fetch: authorizedFetch(http),
        });
      } catch (err) {
        if (err instanceof HubApiError) throw hubStatusError(err.statusCode, null, what);
        if (err instanceof AppError) throw err;
        if (err instanceof TypeError) throw hubNetworkError(new URL(http.endpoint).origin, err, undefined);
        throw new AppError('hub_bad_response', `The Hub's answer for ${what.what} is unusable.`, {
          cause: err,
        });
      }
      if (!info) throw new AppError('hub_not_found', `The Hub has no ${what.what}.`);
      return { sizeBytes: info.size };
    },
  };
}

export type HubClient = ReturnType<typeof createHubClient>;

/**
 * The fetch handed to `@huggingface/hub`: the token only for the endpoint's origin (so never to the
 * storage the Hub redirects to), and the configured timeout.
 */
function authorizedFetch(http: HubHttpOptions): typeof fetch {
  const origin = new URL(http.endpoint).origin;
  const base = http.fetch ?? fetch;
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    if (http.token !== undefined && url.origin === origin)
      headers.set('authorization', `Bearer ${http.token}`);
    const timeout = AbortSignal.timeout(http.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return base(url, { ...init, headers, signal }).catch((err: unknown) => {
      throw hubNetworkError(origin, err, timeout.aborted ? http.timeoutMs : undefined);
    });
  };
}
