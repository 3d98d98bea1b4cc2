import type { ConcurrencyLease, LimitCost, LimitDecision, LimitRule, RateLimiter } from './limiter.js';
import { isLimiterUnavailable } from './limiter-unavailable-error.js';

/** What to do while the shared store is away: limit per process, or refuse (503) every call. */
export type FallbackPolicy = 'local' | 'refuse';

export type LimiterSource = 'shared' | 'local' | 'refused';

export interface FallbackLimiterOptions {
  /** Called when the source changes (for logs and metrics). */
  onSourceChange?: (source: LimiterSource, cause: unknown) => void;
}

/**
 * Tries the shared limiter on every call, so a reconnection resumes it at once; the Redis
 * limiter fails fast while disconnected, so an outage costs no latency.
 */
export class FallbackLimiter implements RateLimiter {
  private current: LimiterSource = 'shared';

  constructor(
    private readonly shared: RateLimiter,
    private readonly local: RateLimiter,
    private readonly policy: FallbackPolicy,
    private readonly options: FallbackLimiterOptions = {},
  ) {}

  /** Where the last call was answered. */
  get source(): LimiterSource {
    return this.current;
  }

  consume(key: string, rules: readonly LimitRule[], cost: LimitCost): Promise<LimitDecision> {
    return this.route((limiter) => limiter.consume(key, rules, cost));
  }

  acquire(key: string, limit: number): Promise<ConcurrencyLease> {
    return this.route((limiter) => limiter.acquire(key, limit));
  }

  async close(): Promise<void> {
    await Promise.all([this.shared.close(), this.local.close()]);
  }

  private async route<T>(call: (limiter: RateLimiter) => Promise<T>): Promise<T> {
    try {
      const result = await call(this.shared);
      this.switchTo('shared', undefined);
      return result;
    } catch (err) {
      if (!isLimiterUnavailable(err)) throw err;
      if (this.policy === 'refuse') {
        this.switchTo('refused', err);
        throw err;
      }
      this.switchTo('local', err);
      return call(this.local);
    }
  }

  private switchTo(source: LimiterSource, cause: unknown): void {
    if (source === this.current) return;
    this.current = source;
    this.options.onSourceChange?.(source, cause);
  }
}
