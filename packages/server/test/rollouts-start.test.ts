import type { AuditEntry } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { adderRollouts } from './support/adder-rollouts.js';

describe('rollouts: a start refuses bad input, and fails when the new runners cannot load (ONNX adders)', () => {
  const { t, deployment, revisions, startRollout, current, infer } = adderRollouts();

  it('refuses bad rollouts with catalogued 4xx and changes nothing', async () => {
    const before = (await revisions()).length;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ variants: [{ variantName: 'a', modelVersion: 2, weight: 0 }] }, 400, 'invalid_variants'],
      [{ variants: [{ variantName: 'a', modelVersion: 2, weight: -1 }] }, 400, 'validation_failed'],
      [{ variants: [{ variantName: 'a', modelVersion: 99, weight: 1 }] }, 404, 'version_not_found'],
      [
        {
          variants: [{ variantName: 'a', modelVersion: 2, weight: 1 }],
          strategy: { type: 'linear', steps: [10, 50] },
        },
        400,
        'invalid_rollout',
      ],
      [
        {
          variants: [
            { variantName: 'a', modelVersion: 2, weight: 1 },
            { variantName: 's', modelVersion: 1, weight: 0, role: 'shadow', samplingPercent: 0 },
          ],
        },
        400,
        'validation_failed',
      ],
      [
        {
          variants: [
            { variantName: 'a', modelVersion: 2, weight: 1 },
            { variantName: 's', modelVersion: 1, weight: 0, role: 'shadow', samplingPercent: 101 },
          ],
        },
        400,
        'validation_failed',
      ],
      [
        { variants: [{ variantName: 'a', modelVersion: 2, weight: 1 }], surprise: true },
        400,
        'validation_failed',
      ],
      [
        {
          variants: [{ variantName: 'a', modelVersion: 2, weight: 1, instances: 16 }],
          strategy: { type: 'canary', percent: 10 },
        },
        409,
        'rollout_over_budget',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await startRollout(body);
      expect({
        status: res.status,
        code: ((await res.json()) as { error: { code: string } }).error.code,
      }).toEqual({
        status,
        code,
      });
    }
    expect((await revisions()).length).toBe(before);
    expect((await t.fetch('/api/v1/deployments/adder/rollouts')).status).toBe(200);
    const none = await t.fetch('/api/v1/deployments/adder/rollouts/current');
    expect(none.status).toBe(404);
  });

  it('fails a rollout whose runners cannot load, before any request reaches them', async () => {
    const before = await deployment();
    const res = await startRollout({
      variants: [{ variantName: 'default', modelVersion: 4, weight: 100 }],
      strategy: { type: 'canary', percent: 50, bakeSeconds: 1 },
    });
    expect(res.status).toBe(202);
    const answers: Awaited<ReturnType<typeof infer>>[] = [];
    let rollout = await current();
    while (rollout.state === 'provisioning') {
      answers.push(...(await Promise.all([infer(), infer()])));
      rollout = await current();
    }
    answers.push(...(await Promise.all([infer(), infer()])));
    expect(rollout).toMatchObject({ state: 'failed', step: -1, percent: 0 });
    expect(rollout.reason).toBeTruthy();
    expect(answers.every((a) => a.status === 200 && a.revision === before.revision)).toBe(true);
    expect(await deployment()).toMatchObject({ revision: before.revision, rollout: null });
    expect((await deployment()).instances.every((i) => i.fleet === 'current')).toBe(true);
    const audit = (await (await t.fetch('/api/v1/audit?limit=20')).json()) as { data: AuditEntry[] };
    expect(audit.data.find((e) => e.action === 'rollout.fail')?.detail).toMatchObject({
      reason: rollout.reason,
    });
  }, 60_000);
});
