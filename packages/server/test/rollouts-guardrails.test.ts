import type { AuditEntry, Rollout } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { adderRollouts, quickGuardrails } from './support/adder-rollouts.js';

describe('rollouts: guardrails roll a failing canary back and promote healthy ones (ONNX adders)', () => {
  const { t, deployment, revisions, startRollout, infer, trafficUntilDone, waitFor } = adderRollouts();

  it('rolls a failing canary back: clients see few errors, revision N serves again, the breach is audited', async () => {
    const before = await deployment();
    const res = await startRollout({
      variants: [{ variantName: 'default', modelVersion: 3, weight: 100 }],
      strategy: { type: 'canary', percent: 10, bakeSeconds: 30 },
      guardrails: { ...quickGuardrails, fastFail: { errorRate: 0.5, minRequests: 10 } },
    });
    expect(res.status).toBe(202);
    const started = (await res.json()) as Rollout;
    expect(started).toMatchObject({ state: 'provisioning', fromRevision: before.revision, steps: [10, 100] });
    await waitFor((r) => r.state !== 'provisioning');
    const { answers, rollout } = await trafficUntilDone();
    expect(rollout.state).toBe('rolled_back');
    expect(['fast_fail', 'guardrail_breach']).toContain(rollout.reason);
    expect(rollout.lastEvaluation?.canary.errors).toBeGreaterThan(0);
    const failed = answers.filter((a) => a.status !== 200);
    // The canary took 10% of the requests; only its requests fail, and not for long.
    expect(failed.length / answers.length).toBeLessThanOrEqual(0.25);
    expect(failed.every((a) => a.revision === started.toRevision)).toBe(true);
    const after = await deployment();
    expect(after.revision).toBe(before.revision);
    expect(after.variants).toEqual(before.variants);
    expect(after.rollout).toBeNull();
    const now = await Promise.all(Array.from({ length: 20 }, infer));
    expect(now.every((a) => a.status === 200 && a.added === 1 && a.revision === before.revision)).toBe(true);
    const audit = (await (await t.fetch('/api/v1/audit?limit=50')).json()) as { data: AuditEntry[] };
    const rollback = audit.data.find((e) => e.action === 'rollout.rollback');
    expect(rollback?.detail).toMatchObject({ reason: rollout.reason, rollout: started.id });
    expect(audit.data.some((e) => e.action === 'rollout.breach')).toBe(true);
    expect(audit.data.some((e) => e.action === 'rollout.start')).toBe(true);
    const metrics = await (await t.fetch('/metrics')).text();
    expect(metrics).toMatch(/modelport_rollout_state\{deployment="adder",state="rolled_back"\} 1/);
    expect(metrics).toMatch(
      /modelport_variant_requests_total\{deployment="adder",variant="default",fleet="next",outcome="error"\} [1-9]/,
    );
  }, 90_000);

  it('promotes a healthy canary through its steps; the deployment then serves revision N+1', async () => {
    const before = await deployment();
    const res = await startRollout({
      variants: [{ variantName: 'default', modelVersion: 2, weight: 100 }],
      strategy: { type: 'linear', steps: [25, 50, 100], bakeSeconds: 1 },
      guardrails: quickGuardrails,
    });
    expect(res.status).toBe(202);
    const started = (await res.json()) as Rollout;
    const { answers, rollout } = await trafficUntilDone();
    expect(rollout).toMatchObject({ state: 'succeeded', percent: 100, step: 2, reason: null });
    expect(rollout.lastEvaluation?.outcome).toBe('pass');
    expect(answers.filter((a) => a.status !== 200).slice(0, 3)).toEqual([]);
    const seen = new Set(answers.map((a) => a.revision));
    expect(seen).toEqual(new Set([before.revision, started.toRevision]));
    const after = await deployment();
    expect(after).toMatchObject({ revision: started.toRevision, version: 2, rollout: null });
    expect(after.instances.every((i) => i.fleet === 'current' && i.version === 2)).toBe(true);
    const now = await Promise.all(Array.from({ length: 10 }, infer));
    expect(now.every((a) => a.added === 2 && a.revision === started.toRevision)).toBe(true);
    const stored = (await revisions()).find((r) => r.revision === started.toRevision);
    expect(stored?.guardrails).toMatchObject({ intervalSeconds: 0.1 });
  }, 90_000);

  it('promotes a healthy rollout in each of 10 tries (no false rollback)', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await startRollout({
        variants: [{ variantName: 'default', modelVersion: i % 2 ? 1 : 2, weight: 100 }],
        strategy: { type: 'canary', percent: 50, bakeSeconds: 1 },
        guardrails: {
          ...quickGuardrails,
          rules: [
            { metric: 'error_rate', max: 0.01, maxIncrease: 0.01 },
            { metric: 'latency_p95', max: 250, maxRatio: 3 },
          ],
        },
      });
      expect(res.status).toBe(202);
      outcomes.push((await trafficUntilDone()).rollout.state);
    }
    expect(outcomes).toEqual(Array(10).fill('succeeded'));
  }, 180_000);
});
