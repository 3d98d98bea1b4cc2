import type { AuditEntry, Deployment, Revision, Rollout } from '@modelport/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { failingModelBytes, unloadableModelBytes } from './support/misbehaving-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const terminal = new Set(['succeeded', 'failed', 'rolled_back']);

/**
 * Guardrails fast enough for a test: judged every 100 ms over the last 5 s. Few samples suffice, so
 * a loaded machine (fewer requests per bake) still decides rather than pausing as inconclusive.
 */
const quickGuardrails = {
  intervalSeconds: 0.1,
  windowSeconds: 5,
  minSamples: 5,
  consecutiveBreaches: 2,
};

describe('rollouts: guarded canary, automatic rollback, pause/resume/promote/abort (ONNX adders)', () => {
  let t: TestServer;
  /** Versions of model `adder`: 1 adds 1, 2 adds 2, 3 fails on every input, 4 cannot load. */
  beforeAll(async () => {
    // 1 GiB: an instance is estimated at 128 MiB and more, so 16 of them cannot fit beside revision 1.
    t = await startTestServer({ env: { MODELPORT_MEMORY_BUDGET_BYTES: String(2 ** 30) } });
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
    for (const bytes of [addModel(2), failingModelBytes(), unloadableModelBytes()]) {
      const res = await t.fetch('/api/v1/models/adder/versions', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      });
      if (res.status !== 201) throw new Error(`upload: ${await res.text()}`);
    }
  }, 120_000);
  afterAll(() => t?.close());
  // A test that fails midway must not leave its rollout running into the next one.
  afterEach(async () => {
    const r = await t.fetch('/api/v1/deployments/adder/rollouts/current');
    if (r.status === 200 && !terminal.has(((await r.json()) as Rollout).state)) await action('abort');
  });

  const deployment = async () => (await (await t.fetch('/api/v1/deployments/adder')).json()) as Deployment;
  const revisions = async () =>
    ((await (await t.fetch('/api/v1/deployments/adder/revisions')).json()) as { data: Revision[] }).data;
  const startRollout = (body: Record<string, unknown>) =>
    t.fetch('/api/v1/deployments/adder/rollouts', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
  const current = async () =>
    (await (await t.fetch('/api/v1/deployments/adder/rollouts/current')).json()) as Rollout;
  const action = (verb: string, body: Record<string, unknown> = {}) =>
    t.fetch(`/api/v1/deployments/adder/rollouts/current/${verb}`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
  const infer = async () => {
    const res = await t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
    });
    const body = (await res.json()) as { outputs?: { data: number[] }[] };
    return {
      status: res.status,
      revision: Number(res.headers.get('x-modelport-revision')),
      added: body.outputs?.[0]?.data[0],
    };
  };

  /** Sends requests 4 at a time until the rollout ends (or `limitMs`); answers what the clients saw. */
  async function trafficUntilDone(limitMs = 60_000) {
    const answers: Awaited<ReturnType<typeof infer>>[] = [];
    const until = Date.now() + limitMs;
    let rollout = await current();
    while (!terminal.has(rollout.state) && rollout.state !== 'paused' && Date.now() < until) {
      answers.push(...(await Promise.all(Array.from({ length: 8 }, infer))));
      rollout = await current();
    }
    return { answers, rollout: await current() };
  }

  async function waitFor(predicate: (r: Rollout) => boolean, limitMs = 30_000): Promise<Rollout> {
    const until = Date.now() + limitMs;
    for (;;) {
      const r = await current();
      if (predicate(r) || Date.now() > until) return r;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

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

describe('rollouts: a restart of the server resumes a rollout in the state it had', () => {
  let t: TestServer | undefined;
  afterAll(() => t?.close());

  it('keeps a paused canary paused at its share, with both fleets loaded, and finishes it after', async () => {
    t = await startTestServer();
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
    const up = await t.fetch('/api/v1/models/adder/versions', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: addModel(2),
    });
    expect(up.status).toBe(201);
    const res = await t.fetch('/api/v1/deployments/adder/rollouts', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        variants: [{ variantName: 'default', modelVersion: 2, weight: 100 }],
        strategy: { type: 'linear', steps: [30, 60, 100], bakeSeconds: 0.2 },
        guardrails: quickGuardrails,
      }),
    });
    expect(res.status).toBe(202);
    const get = async (server: TestServer) =>
      (await (await server.fetch('/api/v1/deployments/adder/rollouts/current')).json()) as Rollout;
    for (let i = 0; i < 200 && (await get(t)).state !== 'paused'; i++)
      await new Promise((r) => setTimeout(r, 50));
    const before = await get(t);
    expect(before).toMatchObject({ state: 'paused', percent: 30, reason: 'insufficient_samples' });
    const { dataDir, adminKey } = t;
    await t.server.close();
    t = await startTestServer({ dataDir, adminKey });
    const server = t;
    for (let i = 0; i < 200; i++) {
      const d = (await (await server.fetch('/api/v1/deployments/adder')).json()) as Deployment;
      if (!d.instances) throw new Error(JSON.stringify(d));
      if (d.instances.some((x) => x.fleet === 'next' && x.state === 'ready')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await get(server)).toMatchObject({ id: before.id, state: 'paused', percent: 30, step: 0 });
    const d = (await (await server.fetch('/api/v1/deployments/adder')).json()) as Deployment;
    expect(new Set(d.instances.map((x) => `${x.fleet}:${x.version}`))).toEqual(
      new Set(['current:1', 'next:2']),
    );
    const promote = await server.fetch('/api/v1/deployments/adder/rollouts/current/promote', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ all: true }),
    });
    expect(promote.status).toBe(200);
    expect(await get(server)).toMatchObject({ state: 'succeeded', percent: 100 });
  }, 120_000);
});
