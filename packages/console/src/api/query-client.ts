import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-error.js';

let refused: (error: ApiError) => void = () => {};

/** Who signs the console out when the server refuses the key mid-way (revoked, expired). */
export function onKeyRefused(handler: (error: ApiError) => void): void {
  refused = handler;
}

function checkRefused(error: unknown): void {
  if (error instanceof ApiError && error.unauthenticated) refused(error);
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: checkRefused }),
  mutationCache: new MutationCache({ onError: checkRefused }),
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a 5xx or a dropped connection may.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 5_000,
    },
  },
});
