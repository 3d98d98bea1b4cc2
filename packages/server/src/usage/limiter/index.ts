export { FallbackLimiter, type FallbackPolicy, type LimiterSource } from './fallback-limiter.js';
export type {
  ConcurrencyLease,
  ConcurrencyRule,
  LimitCost,
  LimitDecision,
  LimitRule,
  LimitState,
  RateLimiter,
  WindowKind,
} from './limiter.js';
export { isLimiterUnavailable, LimiterUnavailableError } from './limiter-unavailable-error.js';
export { type MemoryLimiterOptions, MemoryRateLimiter } from './memory-limiter.js';
export { formatResetDuration, rateLimitHeaders, retryAfterSeconds } from './rate-limit-headers.js';
export {
  type RedisConnectOptions,
  type RedisLimiterOptions,
  RedisRateLimiter,
} from './redis-limiter.js';
