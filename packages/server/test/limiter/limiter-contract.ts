import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LimitRule, RateLimiter } from '../../src/usage/limiter/index.js';
import { sleep, uniquePrefix } from '../support/redis.js';

export interface LimiterUnderTest {
  limiter: RateLimiter;
  cleanup(): Promise<void>;
}

const requests = (limit: number, windowMs: number, scope?: string): LimitRule =>
  scope === undefined ? { kind: 'requests', limit, windowMs } : { kind: 'requests', limit, windowMs, scope };
const tokens = (limit: number, windowMs: number): LimitRule => ({ kind: 'tokens', limit, windowMs });
const one = { requests: 1, tokens: 0 };

/** The behaviour every RateLimiter implementation must show; `make` gets a key prefix per test. */
export function describeLimiterContract(
  name: string,
  make: (prefix: string) => Promise<LimiterUnderTest>,
): void {
  describe(`${name} limiter contract`, () => {
    let subject: LimiterUnderTest;
    let limiter: RateLimiter;
    let key: string;

    beforeEach(async () => {
      const prefix = uniquePrefix();
      subject = await make(prefix);
      limiter = subject.limiter;
      key = `${prefix}key`;
    });
    afterEach(async () => subject.cleanup());

    it('refuses once the limit is reached, with a retry delay and zero remaining', async () => {
      const rules = [requests(3, 60_000)];
      for (let i = 0; i < 3; i++) expect((await limiter.consume(key, rules, one)).allowed).toBe(true);
      const refused = await limiter.consume(key, rules, one);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(18_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(20_000);
      expect(refused.states[0]).toMatchObject({ kind: 'requests', limit: 3, remaining: 0 });
      expect(refused.states[0]?.resetMs).toBeGreaterThan(58_000);
      expect((await limiter.consume(`${key}-other`, rules, one)).allowed).toBe(true);
    });

    it('checks all rules atomically: a tokens refusal charges no request', async () => {
      const rules = [requests(10, 60_000), tokens(100, 60_000)];
      const first = await limiter.consume(key, rules, { requests: 1, tokens: 80 });
      expect(first.states.map((s) => s.remaining)).toEqual([9, 20]);
      const refused = await limiter.consume(key, rules, { requests: 1, tokens: 50 });
      expect(refused.allowed).toBe(false);
      expect(refused.states.map((s) => s.remaining)).toEqual([9, 20]);
      const next = await limiter.consume(key, rules, { requests: 1, tokens: 20 });
      expect(next.allowed).toBe(true);
      expect(next.states.map((s) => s.remaining)).toEqual([8, 0]);
    });

    it('limits key × model inside the key-wide limit, in one call', async () => {
      const call = (model: string) =>
        limiter.consume(key, [requests(5, 60_000), requests(2, 60_000, model)], one);
      expect((await call('model:a')).allowed).toBe(true);
      expect((await call('model:a')).allowed).toBe(true);
      const refused = await call('model:a');
      expect(refused.allowed).toBe(false);
      expect(refused.states.map((s) => s.remaining)).toEqual([3, 0]);
      const other = await call('model:b');
      expect(other.allowed).toBe(true);
      expect(other.states.map((s) => s.remaining)).toEqual([2, 1]);
    });

    it('slides: capacity comes back as time passes', async () => {
      const rules = [requests(4, 400)];
      for (let i = 0; i < 4; i++) expect((await limiter.consume(key, rules, one)).allowed).toBe(true);
      const refused = await limiter.consume(key, rules, one);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(100);
      await sleep(refused.retryAfterMs + 25);
      expect((await limiter.consume(key, rules, one)).allowed).toBe(true);
      expect((await limiter.consume(key, rules, one)).allowed).toBe(false);
      await sleep(450);
      const results = [];
      for (let i = 0; i < 5; i++) results.push((await limiter.consume(key, rules, one)).allowed);
      expect(results).toEqual([true, true, true, true, false]);
    });

    it('counts tokens per minute, and never admits a cost above the limit', async () => {
      const rules = [tokens(1_000, 60_000)];
      expect((await limiter.consume(key, rules, { requests: 1, tokens: 600 })).allowed).toBe(true);
      const last = await limiter.consume(key, rules, { requests: 1, tokens: 400 });
      expect(last.states[0]).toMatchObject({ remaining: 0, limit: 1_000 });
      const refused = await limiter.consume(key, rules, { requests: 1, tokens: 10 });
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(500);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(600);
      const tooBig = await limiter.consume(`${key}-big`, rules, { requests: 1, tokens: 1_001 });
      expect(tooBig).toMatchObject({ allowed: false, retryAfterMs: 60_000 });
    });

    it('charges tokens counted after the work past the limit, and refunds an overestimate', async () => {
      const rules = [tokens(100, 60_000)];
      expect((await limiter.consume(key, rules, { requests: 1, tokens: 10 })).allowed).toBe(true);
      // The completion used 140 more than its estimate: charged although it passes the limit.
      const charged = await limiter.consume(key, rules, { requests: 0, tokens: 140, force: true });
      expect(charged.allowed).toBe(true);
      expect(charged.states[0]?.remaining).toBe(0);
      const refused = await limiter.consume(key, rules, { requests: 1, tokens: 1 });
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(29_000);
      // A refund brings the bucket back: 150 charged, 150 refunded.
      await limiter.consume(key, rules, { requests: 0, tokens: -150, force: true });
      const after = await limiter.consume(key, rules, { requests: 1, tokens: 100 });
      expect(after.allowed).toBe(true);
    });

    it('holds concurrency slots until released, once per lease', async () => {
      const a = await limiter.acquire(key, 2);
      const b = await limiter.acquire(key, 2);
      expect([a.allowed, b.allowed, b.inFlight]).toEqual([true, true, 2]);
      const c = await limiter.acquire(key, 2);
      expect(c).toMatchObject({ allowed: false, inFlight: 2 });
      await c.release();
      await a.release();
      await a.release();
      const d = await limiter.acquire(key, 2);
      expect(d).toMatchObject({ allowed: true, inFlight: 2 });
      expect((await limiter.acquire(key, 2)).allowed).toBe(false);
      await Promise.all([b.release(), d.release()]);
    });

    it('admits a burst of 1,000 concurrent calls against 100/min within the documented overshoot', async () => {
      const rules = [requests(100, 60_000)];
      const started = Date.now();
      const decisions = await Promise.all(
        Array.from({ length: 1_000 }, () => limiter.consume(key, rules, one)),
      );
      const elapsedMs = Date.now() - started;
      const accepted = decisions.filter((d) => d.allowed).length;
      // limit + floor(d · limit / windowMs) for a burst spread over d ms (see limiter.ts).
      expect(accepted).toBeGreaterThanOrEqual(100);
      expect(accepted).toBeLessThanOrEqual(100 + Math.floor((elapsedMs * 100) / 60_000));
    });
  });
}
