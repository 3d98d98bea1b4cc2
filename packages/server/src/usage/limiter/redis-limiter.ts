import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  type ConcurrencyLease,
  costOf,
  type LimitCost,
  type LimitDecision,
  type LimitRule,
  type RateLimiter,
  ruleId,
} from './limiter.js';
import { LimiterUnavailableError } from './limiter-unavailable-error.js';
import { LuaScript } from './lua-script.js';
import { ACQUIRE_SCRIPT, CONSUME_SCRIPT } from './redis-scripts.js';

export interface RedisLimiterOptions {
  /** Namespace of every key this limiter writes. */
  keyPrefix?: string;
  /** Longest a concurrency slot is held when its release never comes (crashed process). */
  leaseTtlMs?: number;
  /** Closes the client on `close()`; true for clients made by `connect`. */
  ownsClient?: boolean;
}

export interface RedisConnectOptions extends RedisLimiterOptions {
  /** A slow Redis must not hold requests: past this, the call reports unavailable. */
  commandTimeoutMs?: number;
}

const consumeScript = new LuaScript(CONSUME_SCRIPT);
const acquireScript = new LuaScript(ACQUIRE_SCRIPT);

/** Limits shared by every gateway process; one script round trip per call. */
export class RedisRateLimiter implements RateLimiter {
  private readonly prefix: string;
  private readonly leaseTtlMs: number;
  private readonly ownsClient: boolean;

  constructor(
    readonly client: Redis,
    options: RedisLimiterOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'modelport:ratelimit:';
    this.leaseTtlMs = options.leaseTtlMs ?? 10 * 60_000;
    this.ownsClient = options.ownsClient ?? false;
  }

  /** A client that fails fast while disconnected (no offline queue) and reconnects forever. */
  static connect(url: string, options: RedisConnectOptions = {}): RedisRateLimiter {
    const client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    });
    // Without a listener ioredis logs every failed reconnection; the calls already report them.
    client.on('error', () => {});
    return new RedisRateLimiter(client, { ownsClient: true, ...options });
  }

  get available(): boolean {
    return this.client.status === 'ready';
  }

  async consume(key: string, rules: readonly LimitRule[], cost: LimitCost): Promise<LimitDecision> {
    if (rules.length === 0) return { allowed: true, retryAfterMs: 0, states: [] };
    const keys = rules.map((rule) => `${this.keyOf(key)}:${ruleId(rule)}`);
    const args = [
      ...rules.flatMap((rule) => [rule.limit, rule.windowMs, costOf(rule, cost)]),
      cost.force ? 1 : 0,
    ];
    const reply = await this.call(() => consumeScript.run(this.client, keys, args));
    const numbers = (reply as number[]).map(Number);
    const states = rules.map((rule, i) => ({
      kind: rule.kind,
      scope: rule.scope,
      limit: rule.limit,
      remaining: numbers[2 + 2 * i] ?? 0,
      resetMs: numbers[3 + 2 * i] ?? 0,
    }));
    return { allowed: numbers[0] === 1, retryAfterMs: numbers[1] ?? 0, states };
  }

  async acquire(key: string, limit: number): Promise<ConcurrencyLease> {
    const leasesKey = `${this.keyOf(key)}:concurrent`;
    const leaseId = randomUUID();
    const reply = await this.call(() =>
      acquireScript.run(this.client, [leasesKey], [limit, this.leaseTtlMs, leaseId]),
    );
    const [allowed, inFlight] = (reply as number[]).map(Number);
    if (allowed !== 1) return { allowed: false, limit, inFlight: inFlight ?? limit, release: async () => {} };
    let released = false;
    const release = async (): Promise<void> => {
      if (released) return;
      released = true;
      // A release lost to an outage is recovered by the lease expiry.
      await this.client.zrem(leasesKey, leaseId).catch(() => {});
    };
    return { allowed: true, limit, inFlight: inFlight ?? 1, release };
  }

  async close(): Promise<void> {
    if (!this.ownsClient) return;
    if (this.client.status === 'ready') await this.client.quit().catch(() => {});
    this.client.disconnect();
  }

  /** The hash tag keeps every rule of one key in one cluster slot, as the script needs. */
  private keyOf(key: string): string {
    return `${this.prefix}{${key}}`;
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    if (!this.available) throw new LimiterUnavailableError(new Error(`Redis is ${this.client.status}`));
    try {
      return await run();
    } catch (err) {
      throw new LimiterUnavailableError(err);
    }
  }
}
