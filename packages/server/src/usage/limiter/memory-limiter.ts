import { gcraState, gcraStep } from './gcra.js';
import {
  type ConcurrencyLease,
  costOf,
  type LimitCost,
  type LimitDecision,
  type LimitRule,
  type RateLimiter,
  ruleId,
} from './limiter.js';

export interface MemoryLimiterOptions {
  /** Cap on stored rule states; beyond it the least recently used go first (their keys start afresh). */
  maxEntries?: number;
  sweepIntervalMs?: number;
  now?: () => number;
}

/** In-process limiter: exact for one process, and the fallback when Redis is away. */
export class MemoryRateLimiter implements RateLimiter {
  /** State id → GCRA theoretical arrival time; Map order doubles as the LRU order. */
  private readonly tats = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemoryLimiterOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 60_000);
    this.sweeper.unref();
  }

  get size(): number {
    return this.tats.size;
  }

  async consume(key: string, rules: readonly LimitRule[], cost: LimitCost): Promise<LimitDecision> {
    const nowMs = this.now();
    const checks = rules.map((rule) => {
      const id = `${key}|${ruleId(rule)}`;
      return { rule, id, outcome: gcraStep(this.tats.get(id), nowMs, rule, costOf(rule, cost), cost.force) };
    });
    const allowed = checks.every((check) => check.outcome.allowed);
    if (allowed) for (const check of checks) this.store(check.id, check.outcome.nextTat, nowMs);
    const states = checks.map((check) => gcraState(this.tats.get(check.id), nowMs, check.rule));
    const retryAfterMs = Math.max(0, ...checks.map((check) => check.outcome.retryAfterMs));
    return { allowed, retryAfterMs, states };
  }

  async acquire(key: string, limit: number): Promise<ConcurrencyLease> {
    const current = this.inFlight.get(key) ?? 0;
    if (current >= limit) return { allowed: false, limit, inFlight: current, release: async () => {} };
    this.inFlight.set(key, current + 1);
    let released = false;
    const release = async (): Promise<void> => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
    };
    return { allowed: true, limit, inFlight: current + 1, release };
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.tats.clear();
    this.inFlight.clear();
  }

  private store(id: string, tat: number, nowMs: number): void {
    this.tats.delete(id);
    if (tat <= nowMs) return;
    this.tats.set(id, tat);
    if (this.tats.size > this.maxEntries) this.sweep();
    for (const oldest of this.tats.keys()) {
      if (this.tats.size <= this.maxEntries) break;
      this.tats.delete(oldest);
    }
  }

  /** A state whose time has passed is a full bucket, the same as no entry. */
  private sweep(): void {
    const nowMs = this.now();
    for (const [id, tat] of this.tats) if (tat <= nowMs) this.tats.delete(id);
  }
}
