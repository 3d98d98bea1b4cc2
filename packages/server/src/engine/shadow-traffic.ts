import { isDeepStrictEqual } from 'node:util';
import { isAppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import type { InstancePool, PoolInstance } from './instance-pool.js';
import type { RunnerConnection } from './runner-host.js';

/** Copies in flight per shadow pool at most, whatever its `maxQueueSize` (the smaller of the two). */
export const MAX_SHADOW_COPIES_IN_FLIGHT = 64;

/** How a shadow's answer agrees with production's. */
export interface Agreement {
  identical: boolean;
  /** Summed |production − shadow| over `absDiffCount` FP32 output elements (0 and 0 when none). */
  absDiffSum: number;
  absDiffCount: number;
}

/** How a production request is sent again to a shadow, and how the two answers are compared. */
export interface Mirror<T> {
  /** Sends the copy with the shadow's deadline (never the caller's signal: the caller may leave). */
  send(connection: RunnerConnection, deadline: { signal: AbortSignal; timeoutMs: number }): Promise<T>;
  /** An answer that is the shadow's failure (a runner's 5xx reply); default: none. */
  failed?(answer: T): boolean;
  /** The agreement of two answers, undefined when production's is no answer to compare; default: JSON deep equality. */
  compare?(production: T, shadow: T): Agreement | undefined;
}

/** What became of one sampled copy: `sent` at once (or `dropped`), `answered` once both sides settled. */
export type ShadowEvent =
  | { kind: 'sent' | 'dropped'; shadow: InstancePool }
  | {
      kind: 'answered';
      shadow: InstancePool;
      /** 5xx, timeout, runner failure or no ready instance; a 4xx is an answer (compared as different). */
      error: boolean;
      shadowMs: number;
      productionMs: number;
      /** Undefined unless both answered (production's 4xx and errors are not compared). */
      agreement: Agreement | undefined;
    };

type Settled<T> = { ok: true; value: T; ms: number } | { ok: false; ms: number };
type CopyResult<T> = { kind: 'answer'; value: T } | { kind: 'refused' } | { kind: 'failed' };

const differs: Agreement = { identical: false, absDiffSum: 0, absDiffCount: 0 };

/**
 * Sends sampled copies of production requests to a deployment's shadow pools, fire-and-forget: a
 * copy leaves after its production request did, is never awaited by it, and is dropped when its
 * shadow already has its bound of copies in flight. Listeners hear what became of each copy.
 */
export class ShadowTraffic {
  private readonly inFlight = new WeakMap<InstancePool, number>();
  private readonly listeners: ((event: ShadowEvent) => void)[] = [];

  constructor(
    private readonly log: Logger,
    /** Called when a copy leaves an instance idle (memory waiters may look again). */
    private readonly idle: () => void,
    private readonly random: () => number = Math.random,
  ) {}

  onEvent(listener: (event: ShadowEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Copies the request behind `production` to each of `shadows` its sampling picks. */
  mirror<T>(shadows: readonly InstancePool[], production: Promise<T>, mirror: Mirror<T>): void {
    const startedAt = performance.now();
    let settled: Promise<Settled<T>> | undefined;
    for (const shadow of shadows) {
      if (this.random() * 100 >= (shadow.plan.shadow?.samplingPercent ?? 0)) continue;
      const inFlight = this.inFlight.get(shadow) ?? 0;
      if (inFlight >= copyBound(shadow)) {
        this.emit({ kind: 'dropped', shadow });
        continue;
      }
      this.inFlight.set(shadow, inFlight + 1);
      this.emit({ kind: 'sent', shadow });
      settled ??= production.then(
        (value) => ({ ok: true, value, ms: performance.now() - startedAt }),
        () => ({ ok: false, ms: performance.now() - startedAt }),
      );
      const productionSettled = settled;
      // After the production request's own I/O was queued: the copy never goes first.
      setImmediate(() => void this.copy(shadow, productionSettled, mirror));
    }
  }

  private async copy<T>(shadow: InstancePool, production: Promise<Settled<T>>, mirror: Mirror<T>) {
    const startedAt = performance.now();
    const result = await this.send(shadow, mirror);
    this.inFlight.set(shadow, (this.inFlight.get(shadow) ?? 1) - 1);
    const shadowMs = performance.now() - startedAt;
    const prod = await production;
    let agreement: Agreement | undefined;
    try {
      if (prod.ok && result.kind === 'refused') agreement = differs;
      if (prod.ok && result.kind === 'answer')
        agreement = (mirror.compare ?? jsonAgreement)(prod.value, result.value);
    } catch (err) {
      this.log.warn({ err, variant: shadow.plan.variant }, 'shadow answer could not be compared');
    }
    const error = result.kind === 'failed';
    this.emit({ kind: 'answered', shadow, error, shadowMs, productionMs: prod.ms, agreement });
  }

  /** Sends one copy to the least busy ready instance of the shadow, within the shadow's deadline. */
  private async send<T>(shadow: InstancePool, mirror: Mirror<T>): Promise<CopyResult<T>> {
    const { timeoutMs } = shadow.plan.settings;
    let instance: PoolInstance | undefined;
    try {
      instance = shadow.pick();
      instance.outstanding++;
      const connection = instance.host.connection;
      if (!connection) throw new Error('picked runner has no connection');
      const value = await mirror.send(connection, { signal: AbortSignal.timeout(timeoutMs), timeoutMs });
      return mirror.failed?.(value) ? { kind: 'failed' } : { kind: 'answer', value };
    } catch (err) {
      return isAppError(err) && err.status < 500 ? { kind: 'refused' } : { kind: 'failed' };
    } finally {
      if (instance) {
        instance.outstanding--;
        if (instance.outstanding === 0) this.idle();
      }
    }
  }

  private emit(event: ShadowEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err }, 'shadow listener failed');
      }
    }
  }
}

/** The copies a shadow may have in flight: its `maxQueueSize`, at most MAX_SHADOW_COPIES_IN_FLIGHT. */
export function copyBound(shadow: InstancePool): number {
  return Math.min(shadow.plan.settings.maxQueueSize, MAX_SHADOW_COPIES_IN_FLIGHT);
}

/** JSON answers (predict, embeddings) agree when deeply equal. */
function jsonAgreement(production: unknown, shadow: unknown): Agreement {
  return { identical: isDeepStrictEqual(production, shadow), absDiffSum: 0, absDiffCount: 0 };
}
