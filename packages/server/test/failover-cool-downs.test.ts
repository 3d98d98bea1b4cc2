import { describe, expect, it } from 'vitest';
import { CoolDowns, MAX_RETRY_AFTER_S } from '../src/deploy/failover/cool-downs.js';
import { judgeFailure } from '../src/deploy/failover/judge-failure.js';
import { AppError } from '../src/platform/errors/index.js';

const policy = { failureThreshold: 3, failureWindowSeconds: 10, coolDownSeconds: 30 };

function tracker() {
  let now = 1_000_000;
  const coolDowns = new CoolDowns(() => now);
  const events: string[] = [];
  coolDowns.onCoolDown((e) => events.push(`${e.name}:${e.reason}:${(e.until - now) / 1000}`));
  const advance = (seconds: number) => {
    now += seconds * 1000;
  };
  return { coolDowns, events, advance };
}

describe('cool-downs of deployments in failover chains', () => {
  it('cools a deployment down once its failures within the window reach the threshold', () => {
    const { coolDowns, events, advance } = tracker();
    expect(coolDowns.failed('d1', 'a', policy)).toBe(false);
    advance(9);
    expect(coolDowns.failed('d1', 'a', policy)).toBe(false);
    advance(2); // the first failure left the window
    expect(coolDowns.failed('d1', 'a', policy)).toBe(false);
    expect(coolDowns.isCooling('d1')).toBe(false);
    expect(coolDowns.failed('d1', 'a', policy)).toBe(true);
    expect([coolDowns.isCooling('d1'), events]).toEqual([true, ['a:failures:30']]);
    // Failures of requests still in flight during the cool-down are not held against it.
    expect(coolDowns.failed('d1', 'a', policy)).toBe(false);
    advance(30);
    expect(coolDowns.isCooling('d1')).toBe(false);
  });

  it('puts a deployment back on probation: its next failure cools it down at once, an answer clears it', () => {
    const { coolDowns, advance } = tracker();
    for (let i = 0; i < 3; i++) coolDowns.failed('d1', 'a', policy);
    advance(31);
    expect(coolDowns.failed('d1', 'a', policy)).toBe(true);
    advance(31);
    coolDowns.succeeded('d1');
    expect(coolDowns.failed('d1', 'a', policy)).toBe(false);
  });

  it('keeps a deployment out for a Retry-After, at most ten minutes, without counting a failure', () => {
    const { coolDowns, events, advance } = tracker();
    coolDowns.retryAfter('d1', 'a', 2);
    expect(coolDowns.cooling()).toEqual([{ deploymentId: 'd1', name: 'a', until: 1_002_000 }]);
    advance(2);
    expect(coolDowns.isCooling('d1')).toBe(false);
    coolDowns.retryAfter('d1', 'a', 86_400);
    expect(events.at(-1)).toBe(`a:retry_after:${MAX_RETRY_AFTER_S}`);
    coolDowns.forget('d1');
    expect(coolDowns.cooling()).toEqual([]);
  });

  it('uses the defaults (5 failures in 10 s, 30 s) for a deployment without failover settings', () => {
    const { coolDowns, events } = tracker();
    for (let i = 0; i < 4; i++) expect(coolDowns.failed('d1', 'a', undefined)).toBe(false);
    expect(coolDowns.failed('d1', 'a', undefined)).toBe(true);
    expect(events).toEqual(['a:failures:30']);
  });
});

describe('which failures move a request to the next deployment', () => {
  const verdict = (err: unknown, kind: 'tensor' | 'llm' = 'tensor') => {
    const { failover, counts, retryAfterS } = judgeFailure(err, kind);
    return { failover, counts, retryAfterS };
  };

  it('falls over on overload, keeping the deployment away for its Retry-After', () => {
    expect(verdict(new AppError('queue_full', 'busy', { retryAfterS: 2 }))).toEqual({
      failover: true,
      counts: false,
      retryAfterS: 2,
    });
    expect(verdict(new AppError('model_not_ready'))).toMatchObject({ failover: true, retryAfterS: 1 });
  });

  it('falls over on server faults and timeouts, and counts them', () => {
    for (const code of ['internal_error', 'runner_failed', 'deadline_exceeded'] as const)
      expect(verdict(new AppError(code))).toEqual({ failover: true, counts: true, retryAfterS: undefined });
    expect(verdict(new Error('socket hang up'))).toMatchObject({ failover: true, counts: true });
  });

  it('falls over on a prompt past the context for language models only, without counting it', () => {
    const tooLong = new AppError('context_length_exceeded');
    expect(verdict(tooLong, 'llm')).toEqual({ failover: true, counts: false, retryAfterS: undefined });
    expect(verdict(tooLong, 'tensor').failover).toBe(false);
  });

  it('answers the caller’s own faults, spent budgets and withdrawn requests as they are', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    for (const err of [
      new AppError('invalid_tensor'),
      new AppError('insufficient_quota'),
      new AppError('usage_ledger_unavailable'),
      abort,
    ])
      expect(verdict(err)).toEqual({ failover: false, counts: false, retryAfterS: undefined });
  });
});
