import type { Rollout } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { adderRollouts, json, quickGuardrails } from './support/adder-rollouts.js';

describe('rollouts: pause, resume, promote, abort and supersede (ONNX adders)', () => {
  const { t, deployment, startRollout, current, action, infer, waitFor } = adderRollouts();

  it('pauses with insufficient_samples when nobody calls, then resumes, promotes, and refuses a second rollout meanwhile', async () => {
    const before = await deployment();
    const res = await startRollout({
      variants: [{ variantName: 'default', modelVersion: 1, weight: 100 }],
      strategy: { type: 'canary', percent: 50, bakeSeconds: 0.3 },
      guardrails: quickGuardrails,
    });
    expect(res.status).toBe(202);
    const paused = await waitFor((r) => r.state === 'paused');
    expect(paused).toMatchObject({ state: 'paused', reason: 'insufficient_samples', percent: 50, step: 0 });
    expect((await deployment()).rollout?.id).toBe(paused.id);
    const second = await startRollout({
      variants: [{ variantName: 'default', modelVersion: 2, weight: 100 }],
    });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('rollout_in_progress');
    const put = await t.fetch('/api/v1/deployments/adder/variants', {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ variants: [{ variantName: 'default', modelVersion: 2, weight: 1 }] }),
    });
    expect(put.status).toBe(409);
    expect((await action('pause')).status).toBe(409);
    expect((await action('resume')).status).toBe(200);
    expect((await action('promote', { all: true })).status).toBe(200);
    const done = await current();
    expect(done).toMatchObject({ state: 'succeeded', percent: 100 });
    expect((await deployment()).revision).toBe(done.toRevision);
    expect((await deployment()).revision).toBeGreaterThan(before.revision);
    // Nothing in progress: an abort changes nothing.
    const abort = await action('abort');
    expect(abort.status).toBe(409);
    expect((await deployment()).revision).toBe(done.toRevision);
  }, 60_000);

  it('supersedes a rollout in progress only when asked: the running one is rolled back first', async () => {
    const first = await startRollout({
      variants: [{ variantName: 'default', modelVersion: 2, weight: 100 }],
      strategy: { type: 'canary', percent: 50, bakeSeconds: 60 },
      guardrails: quickGuardrails,
    });
    expect(first.status).toBe(202);
    const running = (await first.json()) as Rollout;
    await waitFor((r) => r.state === 'baking');
    const second = await startRollout({
      variants: [{ variantName: 'default', modelVersion: 1, weight: 100 }],
      strategy: { type: 'canary', percent: 50, bakeSeconds: 60 },
      guardrails: quickGuardrails,
      supersede: true,
    });
    expect(second.status).toBe(202);
    const next = (await second.json()) as Rollout;
    expect(next.toRevision).toBeGreaterThan(running.toRevision);
    const old = (await (await t.fetch(`/api/v1/deployments/adder/rollouts/${running.id}`)).json()) as Rollout;
    expect(old).toMatchObject({ state: 'rolled_back', reason: 'superseded' });
    expect((await current()).id).toBe(next.id);
    expect((await action('abort')).status).toBe(200);
  }, 60_000);

  it('aborts a rollout in progress: traffic returns to revision N at once', async () => {
    const before = await deployment();
    const res = await startRollout({
      variants: [{ variantName: 'default', modelVersion: 2, weight: 100 }],
      strategy: { type: 'canary', percent: 50, bakeSeconds: 60 },
      guardrails: quickGuardrails,
    });
    expect(res.status).toBe(202);
    await waitFor((r) => r.state === 'baking');
    const during = await Promise.all(Array.from({ length: 40 }, infer));
    expect(new Set(during.map((a) => a.revision)).size).toBe(2);
    const aborted = await action('abort');
    expect(aborted.status).toBe(200);
    expect((await aborted.json()) as Rollout).toMatchObject({
      state: 'rolled_back',
      reason: 'aborted',
      percent: 0,
    });
    const after = await Promise.all(Array.from({ length: 20 }, infer));
    expect(after.every((a) => a.revision === before.revision && a.added === 1)).toBe(true);
    expect((await deployment()).revision).toBe(before.revision);
  }, 60_000);
});
