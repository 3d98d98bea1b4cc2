import type { Deployment, Rollout } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { adderRollouts, json, quickGuardrails, terminal } from './support/adder-rollouts.js';

describe('rollouts: the rolling and all_at_once strategies, and the split of a step share (ONNX adders)', () => {
  const { t, deployment, startRollout, current, action, trafficUntilDone, waitFor } = adderRollouts();

  it('rolls variants one at a time (rolling), and rolling back swaps the old versions back in', async () => {
    const created = await t.fetch('/api/v1/deployments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        name: 'pair',
        model: 'adder',
        threads: 1,
        variants: [
          { variantName: 'a', modelVersion: 1, weight: 50 },
          { variantName: 'b', modelVersion: 1, weight: 50 },
        ],
      }),
    });
    expect(created.status).toBe(201);
    const pair = async () => (await (await t.fetch('/api/v1/deployments/pair')).json()) as Deployment;
    const pairRollout = async () =>
      (await (await t.fetch('/api/v1/deployments/pair/rollouts/current')).json()) as Rollout;
    const inferPair = async () => {
      const res = await t.fetch('/v2/models/pair/infer', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }],
        }),
      });
      const body = (await res.json()) as { outputs?: { data: number[] }[] };
      return { status: res.status, added: body.outputs?.[0]?.data[0] };
    };
    const rollTo = async (version: number) => {
      const res = await t.fetch('/api/v1/deployments/pair/rollouts', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          variants: [
            { variantName: 'a', modelVersion: version, weight: 50 },
            { variantName: 'b', modelVersion: version, weight: 50 },
          ],
          strategy: { type: 'rolling', bakeSeconds: 1 },
          guardrails: quickGuardrails,
        }),
      });
      expect(res.status).toBe(202);
      const answers: Awaited<ReturnType<typeof inferPair>>[] = [];
      let rollout = await pairRollout();
      while (!terminal.has(rollout.state) && rollout.state !== 'paused') {
        answers.push(...(await Promise.all(Array.from({ length: 8 }, inferPair))));
        rollout = await pairRollout();
      }
      return { answers, rollout };
    };
    const healthy = await rollTo(2);
    expect(healthy.rollout).toMatchObject({ state: 'succeeded', steps: [50, 100] });
    expect(healthy.answers.every((a) => a.status === 200)).toBe(true);
    const before = await pair();
    expect(before.instances.map((i) => `${i.variant}:${i.version}`).sort()).toEqual(['a:2', 'b:2']);
    const bad = await rollTo(3);
    expect(bad.rollout.state).toBe('rolled_back');
    const after = await pair();
    expect({ revision: after.revision, variants: after.variants }).toEqual({
      revision: before.revision,
      variants: before.variants,
    });
    for (let i = 0; i < 100 && (await pair()).instances.some((x) => x.version !== 2); i++)
      await new Promise((r) => setTimeout(r, 50));
    const now = await Promise.all(Array.from({ length: 16 }, inferPair));
    expect(now.every((a) => a.status === 200 && a.added === 2)).toBe(true);
    expect((await t.fetch('/api/v1/deployments/pair', { method: 'DELETE' })).status).toBe(204);
  }, 120_000);

  it('moves everything at once (all_at_once), bakes, then succeeds', async () => {
    const before = await deployment();
    const res = await startRollout({
      variants: [{ variantName: 'default', modelVersion: before.version === 2 ? 1 : 2, weight: 100 }],
      strategy: { type: 'all_at_once', bakeSeconds: 1 },
      guardrails: quickGuardrails,
    });
    expect(res.status).toBe(202);
    const { answers, rollout } = await trafficUntilDone();
    expect(rollout).toMatchObject({ state: 'succeeded', steps: [100] });
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect((await deployment()).revision).toBe(rollout.toRevision);
  }, 60_000);

  it('splits by the step share within ±3 points over 4,000 requests (4 standard deviations); a session keeps its fleet and only moves onto the new one', async () => {
    const res = await startRollout({
      variants: [{ variantName: 'default', modelVersion: 2, weight: 100 }],
      strategy: { type: 'linear', steps: [30, 70, 100], bakeSeconds: 600 },
      guardrails: quickGuardrails,
    });
    expect(res.status).toBe(202);
    const started = (await res.json()) as Rollout;
    await waitFor((r) => r.state === 'baking');
    const byRevision = async (n: number, session?: (i: number) => string) => {
      const seen: number[] = [];
      for (let i = 0; i < n; i += 32) {
        const batch = Array.from({ length: Math.min(32, n - i) }, (_, k) =>
          t.fetch('/v2/models/adder/infer', {
            method: 'POST',
            headers: { ...json, ...(session ? { 'x-modelport-session': session(i + k) } : {}) },
            body: JSON.stringify({
              inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }],
            }),
          }),
        );
        for (const r of await Promise.all(batch)) {
          await r.arrayBuffer();
          seen.push(Number(r.headers.get('x-modelport-revision')));
        }
      }
      return seen;
    };
    const share = (seen: number[]) => seen.filter((r) => r === started.toRevision).length / seen.length;
    expect(Math.abs(share(await byRevision(4000)) - 0.3)).toBeLessThanOrEqual(0.03);
    const session = (i: number) => `user-${i}`;
    const at30 = await byRevision(4000, session);
    expect(await byRevision(4000, session)).toEqual(at30);
    expect(Math.abs(share(at30) - 0.3)).toBeLessThanOrEqual(0.03);
    expect((await action('promote')).status).toBe(200);
    expect(await current()).toMatchObject({ step: 1, percent: 70, state: 'baking' });
    const at70 = await byRevision(4000, session);
    expect(Math.abs(share(at70) - 0.7)).toBeLessThanOrEqual(0.03);
    const movedBack = at30.filter((r, i) => r === started.toRevision && at70[i] !== started.toRevision);
    expect(movedBack).toEqual([]);
    expect((await action('abort')).status).toBe(200);
  }, 120_000);
});
