import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../auth/index.js';
import { AppError } from '../platform/errors/index.js';
import { type LimitRule, type RateLimiter, rateLimitHeaders, retryAfterSeconds } from './limiter/index.js';

const MINUTE_MS = 60_000;

/**
 * Per-key limits on every authenticated request: requests per minute and requests in flight. Over
 * a limit → 429 `rate_limit_exceeded` in the protocol's own shape, with `Retry-After` and OpenAI's
 * `x-ratelimit-*` headers; allowed requests carry the headers too.
 */
export function installLimits(app: FastifyInstance, limiter: RateLimiter): void {
  // Before the body is read: a key over its limits costs no upload.
  app.addHook('preParsing', async (request, reply) => {
    const p = request.principal;
    if (!p?.limits) return;
    await checkRate(p, limiter, reply);
    if (p.limits.concurrent !== undefined) await holdSlot(p, p.limits.concurrent, limiter, reply);
  });
}

/** A key's rule and limiter key, made once per principal (an authenticated key is cached) rather than per request. */
const rateRules = new WeakMap<Principal, { key: string; rules: LimitRule[] }>();
const ONE_REQUEST = { requests: 1, tokens: 0 } as const;

function rateRuleOf(p: Principal, perMinute: number) {
  let found = rateRules.get(p);
  if (!found || found.rules[0]?.limit !== perMinute) {
    found = { key: `key:${p.keyId}`, rules: [{ kind: 'requests', limit: perMinute, windowMs: MINUTE_MS }] };
    rateRules.set(p, found);
  }
  return found;
}

async function checkRate(p: Principal, limiter: RateLimiter, reply: FastifyReply): Promise<void> {
  const perMinute = p.limits?.requestsPerMinute;
  if (perMinute === undefined) return;
  const { key, rules } = rateRuleOf(p, perMinute);
  const decision = await limiter.consume(key, rules, ONE_REQUEST);
  reply.headers(rateLimitHeaders(decision));
  if (!decision.allowed) {
    throw new AppError('rate_limit_exceeded', `This key allows ${perMinute} requests per minute.`, {
      retryAfterS: retryAfterSeconds(decision.retryAfterMs),
    });
  }
}

/** The slot is held until the response closes: finished, failed, streamed or abandoned alike. */
async function holdSlot(
  p: Principal,
  limit: number,
  limiter: RateLimiter,
  reply: FastifyReply,
): Promise<void> {
  const lease = await limiter.acquire(`key:${p.keyId}`, limit);
  if (!lease.allowed) {
    throw new AppError('rate_limit_exceeded', `This key allows ${limit} requests at once.`, {
      retryAfterS: 1,
    });
  }
  reply.raw.once('close', () => void lease.release());
}
