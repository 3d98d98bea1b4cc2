import type { Deployment, Rollout } from '@modelport/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { json, quickGuardrails } from './support/adder-rollouts.js';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { startTestServer, type TestServer } from './support/test-server.js';

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
