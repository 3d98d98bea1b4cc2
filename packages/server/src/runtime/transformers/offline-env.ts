import type { env as transformersEnv } from '@huggingface/transformers';

type TransformersEnv = typeof transformersEnv;

/** Fails any network request transformers.js would make, so a missing file can never become a download. */
async function refuseFetch(input: string | URL): Promise<never> {
  throw new Error(`transformers.js tried to fetch ${String(input)}; this runner loads local files only`);
}

/**
 * Local files only. The file cache is off too: it is keyed by the folder's name, so a stale entry
 * under the same name could be served instead of the folder's own files.
 */
export function useOfflineEnv(env: TransformersEnv): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.useBrowserCache = false;
  env.fetch = refuseFetch;
}
