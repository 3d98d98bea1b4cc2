import { type FailoverSettings, failoverSchema } from '@modelport/contracts';

/** The longest `Retry-After` honoured: a deployment is never kept out of chains longer for one. */
export const MAX_RETRY_AFTER_S = 600;

/** What the tracker knows of one deployment that failed in a chain. */
interface Health {
  name: string;
  /** When its recent failures happened (ms), within its failure window. */
  failures: number[];
  /** Skipped by chains until then (ms); 0 when never cooled. */
  until: number;
  /** Cooled down before and not yet answered since: its next failure cools it down again at once. */
  probation: boolean;
  /** What cooled it down last. */
  reason: CoolDownEvent['reason'] | null;
}

/** One deployment's standing in chains now; `until` in ms. */
export interface CoolDownStatus {
  state: 'ok' | 'cooling_down' | 'probation';
  until: number | null;
  reason: CoolDownEvent['reason'] | null;
  recentFailures: number;
}

/** A deployment taken out of chains: why, and until when (ms). */
export interface CoolDownEvent {
  deploymentId: string;
  name: string;
  until: number;
  reason: 'failures' | 'retry_after';
}

const defaults = failoverSchema.parse({});

/**
 * Which deployments failover chains skip now. A deployment cools down for `coolDownSeconds` once
 * `failureThreshold` failures fall within `failureWindowSeconds`, or for a 503/429's `Retry-After`.
 * After a cool-down it is on probation: one failure cools it down again, one answer clears it.
 */
export class CoolDowns {
  private readonly health = new Map<string, Health>();
  private readonly listeners: ((event: CoolDownEvent) => void)[] = [];

  constructor(private readonly now: () => number) {}

  isCooling(deploymentId: string): boolean {
    return (this.health.get(deploymentId)?.until ?? 0) > this.now();
  }

  /** A failure that counts (5xx, timeout, crash); returns whether it cooled the deployment down. */
  failed(deploymentId: string, name: string, settings: FailoverSettings | undefined): boolean {
    const policy = settings ?? defaults;
    const now = this.now();
    const h = this.entry(deploymentId, name);
    if (h.until > now) return false;
    h.failures = h.failures.filter((t) => t > now - policy.failureWindowSeconds * 1000);
    h.failures.push(now);
    if (!h.probation && h.failures.length < policy.failureThreshold) return false;
    this.coolUntil(deploymentId, h, now + policy.coolDownSeconds * 1000, 'failures');
    return true;
  }

  /** A 503/429 asked for `seconds` without requests: the deployment is skipped that long. */
  retryAfter(deploymentId: string, name: string, seconds: number): void {
    const h = this.entry(deploymentId, name);
    const until = this.now() + Math.min(seconds, MAX_RETRY_AFTER_S) * 1000;
    if (until > h.until) this.coolUntil(deploymentId, h, until, 'retry_after');
  }

  /** An answer: the deployment's probation ends. */
  succeeded(deploymentId: string): void {
    const h = this.health.get(deploymentId);
    if (h && h.until <= this.now()) h.probation = false;
  }

  forget(deploymentId: string): void {
    this.health.delete(deploymentId);
  }

  /** The deployments skipped now, with the time (ms) each comes back. */
  cooling(): { deploymentId: string; name: string; until: number }[] {
    const now = this.now();
    return [...this.health]
      .filter(([, h]) => h.until > now)
      .map(([deploymentId, h]) => ({ deploymentId, name: h.name, until: h.until }));
  }

  /** Where `deploymentId` stands now; failures older than its window are not counted. */
  status(deploymentId: string, settings: FailoverSettings | undefined): CoolDownStatus {
    const h = this.health.get(deploymentId);
    if (!h) return { state: 'ok', until: null, reason: null, recentFailures: 0 };
    const now = this.now();
    const windowMs = (settings ?? defaults).failureWindowSeconds * 1000;
    const recentFailures = h.failures.filter((t) => t > now - windowMs).length;
    if (h.until > now) return { state: 'cooling_down', until: h.until, reason: h.reason, recentFailures };
    return { state: h.probation ? 'probation' : 'ok', until: null, reason: h.reason, recentFailures };
  }

  onCoolDown(listener: (event: CoolDownEvent) => void): void {
    this.listeners.push(listener);
  }

  private coolUntil(deploymentId: string, h: Health, until: number, reason: CoolDownEvent['reason']): void {
    h.until = until;
    h.reason = reason;
    if (reason === 'failures') {
      h.failures = [];
      h.probation = true;
    }
    for (const listener of this.listeners) listener({ deploymentId, name: h.name, until, reason });
  }

  private entry(deploymentId: string, name: string): Health {
    let h = this.health.get(deploymentId);
    if (!h) {
      h = { name, failures: [], until: 0, probation: false, reason: null };
      this.health.set(deploymentId, h);
    }
    h.name = name;
    return h;
  }
}
