import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { failingModelBytes } from './support/misbehaving-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

interface Shown {
  revision: number;
  settings: { autoscaling?: Record<string, unknown>; instances: number };
  scaling: { variant: string; minInstances: number; maxInstances: number; current: number }[];
  failover: { state: string; until: string | null; reason: string | null; recentFailures: number };
}

async function shown(t: TestServer, name: string): Promise<Shown> {
  const res = await t.fetch(`/api/v1/deployments/${name}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Shown;
}

const patch = (t: TestServer, name: string, body: unknown) =>
  t.fetch(`/api/v1/deployments/${name}`, { method: 'PATCH', headers: json, body: JSON.stringify(body) });

const infer = (t: TestServer, name: string) =>
  t.fetch(`/v2/models/${name}/infer`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] }),
  });

describe('a deployment’s standing: failover state and autoscaling changed in place', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await deployModel(t, { name: 'backup', bytes: addModel(2) }, { threads: 1 });
    await deployModel(
      t,
      { name: 'flaky', bytes: failingModelBytes() },
      { threads: 1, fallbacks: ['backup'], failover: { failureThreshold: 2, coolDownSeconds: 60 } },
    );
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
  }, 120_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('shows failures counted, then the cool-down with its end and reason', async () => {
    expect((await shown(t, 'flaky')).failover).toEqual({
      state: 'ok',
      until: null,
      reason: null,
      recentFailures: 0,
    });
    expect((await infer(t, 'flaky')).status).toBe(200);
    expect((await shown(t, 'flaky')).failover).toMatchObject({ state: 'ok', recentFailures: 1 });
    const before = Date.now();
    expect((await infer(t, 'flaky')).status).toBe(200);
    const cooling = (await shown(t, 'flaky')).failover;
    expect(cooling).toMatchObject({ state: 'cooling_down', reason: 'failures' });
    const until = Date.parse(cooling.until ?? '');
    expect(until).toBeGreaterThanOrEqual(before + 59_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 60_000);
    // The fallback that answered stays in good standing.
    expect((await shown(t, 'backup')).failover.state).toBe('ok');
  });

  it('turns autoscaling on, changes it and turns it off, each a new revision', async () => {
    const first = await shown(t, 'adder');
    expect(first.scaling[0]).toMatchObject({ minInstances: 1, maxInstances: 1 });
    const on = await patch(t, 'adder', { autoscaling: { minInstances: 1, maxInstances: 2 } });
    expect(on.status).toBe(200);
    const scaled = await shown(t, 'adder');
    expect(scaled.revision).toBe(first.revision + 1);
    expect(scaled.settings.autoscaling).toMatchObject({
      minInstances: 1,
      maxInstances: 2,
      targetConcurrency: 4,
    });
    expect(scaled.scaling[0]).toMatchObject({ minInstances: 1, maxInstances: 2 });
    expect((await infer(t, 'adder')).status).toBe(200);

    const off = await patch(t, 'adder', { autoscaling: null });
    expect(off.status).toBe(200);
    const fixed = await shown(t, 'adder');
    expect(fixed.revision).toBe(first.revision + 2);
    expect(fixed.settings.autoscaling).toBeUndefined();
    expect(fixed.scaling[0]).toMatchObject({ minInstances: 1, maxInstances: 1, current: 1 });
    expect((await infer(t, 'adder')).status).toBe(200);
  }, 60_000);

  it('refuses autoscaling settings that cannot hold, and changes nothing', async () => {
    const before = await shown(t, 'adder');
    for (const autoscaling of [
      { minInstances: 3, maxInstances: 2 },
      { maxInstances: 2, maxInstance: 3 },
      { targetConcurrency: 0 },
    ]) {
      const res = await patch(t, 'adder', { autoscaling });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    expect((await shown(t, 'adder')).revision).toBe(before.revision);
  });
});
