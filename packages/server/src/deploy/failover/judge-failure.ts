import { isAppError, toAppError } from '../../platform/errors/index.js';

/** What a chain serves: tensors and tasks, or language models (whose context may be too short). */
export type ChainKind = 'tensor' | 'llm';

/** What a failed attempt means for the chain and for the deployment that failed it. */
export interface FailureVerdict {
  /** Another deployment may answer the request: the next link is tried. */
  failover: boolean;
  /** Counts against the deployment: enough of these cool it down. */
  counts: boolean;
  /** A 503/429's `Retry-After`: the deployment is left alone for that long. */
  retryAfterS: number | undefined;
  /** The catalog code, for metrics. */
  reason: string;
}

/** Failures that are the caller's or the ledger's, never a deployment's. */
const notTheDeployment: ReadonlySet<string> = new Set(['insufficient_quota', 'usage_ledger_unavailable']);

/**
 * Overload (503, 429) falls over and keeps the deployment away for its `Retry-After`; other 5xx
 * (runner crashes, model faults, 504 timeouts) fall over and count towards its cool-down; a
 * language model's `context_length_exceeded` falls over without counting. Any other 4xx is the
 * caller's: answered as it is. A request the client withdrew is never retried.
 */
export function judgeFailure(err: unknown, kind: ChainKind): FailureVerdict {
  const none = { failover: false, counts: false, retryAfterS: undefined };
  if (!isAppError(err) && (err as Error | undefined)?.name === 'AbortError')
    return { ...none, reason: 'aborted' };
  const e = toAppError(err);
  if (notTheDeployment.has(e.code)) return { ...none, reason: e.code };
  if (e.status === 503 || e.status === 429)
    return { failover: true, counts: false, retryAfterS: e.retryAfterS ?? 1, reason: e.code };
  if (e.status >= 500) return { failover: true, counts: true, retryAfterS: undefined, reason: e.code };
  if (kind === 'llm' && e.code === 'context_length_exceeded')
    return { failover: true, counts: false, retryAfterS: undefined, reason: e.code };
  return { ...none, reason: e.code };
}
