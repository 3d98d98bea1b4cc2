import { once } from 'node:events';
import type { Logger } from '../platform/index.js';
import { FallbackLimiter, MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './limiter/index.js';

const REDIS_CONNECT_WAIT_MS = 2_000;

/**
 * In-process counters by default; with Redis, counters shared by every replica, and a fallback
 * while it is unreachable. Start-up waits briefly for Redis so first requests count where the rest do.
 */
export async function createLimiter(
  redisUrl: string | undefined,
  onRedisDown: 'local' | 'refuse',
  log: Logger,
): Promise<RateLimiter> {
  const local = new MemoryRateLimiter();
  if (!redisUrl) return local;
  const shared = RedisRateLimiter.connect(redisUrl);
  if (!shared.available) {
    // `once` rejects on the client's first 'error' (refused connection): stop waiting then.
    const ready = once(shared.client, 'ready').then(
      () => true,
      () => false,
    );
    const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), REDIS_CONNECT_WAIT_MS).unref());
    if (!(await Promise.race([ready, timeout])))
      log.warn('Redis is not reachable yet; rate limits fall back');
  }
  return new FallbackLimiter(shared, local, onRedisDown, {
    onSourceChange: (source) => log.warn({ source }, 'rate limits now answered by this source'),
  });
}
