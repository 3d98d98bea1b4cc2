import type { Deployment } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from '../support/artifacts.js';
import { deployModel } from '../support/deploy-model.js';
import { slowModelBytes } from '../support/misbehaving-models.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const json = { 'content-type': 'application/json' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('autoscaling: pools follow their load, scale to zero holds the first requests', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  }, 60_000);
  afterAll(() => t?.close());

  const deployment = async (name: string) =>
    (await (await t.fetch(`/api/v1/deployments/${name}`)).json()) as Deployment;
  const infer = async (name: string) => {
    const res = await t.fetch(`/v2/models/${name}/infer`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
    });
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  };

  it('scales up in the panic window under load and back down after the delay, failing no request', async () => {
    await deployModel(
      t,
      { name: 'slow', bytes: slowModelBytes() },
      {
        threads: 1,
        autoscaling: {
          minInstances: 1,
          maxInstances: 3,
          targetConcurrency: 1,
          stableWindowSeconds: 4,
          panicWindowSeconds: 1,
          scaleDownDelaySeconds: 2,
        },
      },
    );
    const statuses: number[] = [];
    let peak = 1;
    const until = Date.now() + 8_000;
    const client = async () => {
      while (Date.now() < until) statuses.push((await infer('slow')).status);
    };
    const watch = async () => {
      while (Date.now() < until) {
        const d = await deployment('slow');
        peak = Math.max(peak, d.scaling[0]?.current ?? 0);
        await sleep(200);
      }
    };
    await Promise.all([client(), client(), client(), client(), watch()]);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(peak).toBeGreaterThanOrEqual(2);
    const scaled = await deployment('slow');
    expect(scaled.scaling[0]?.lastDecision).toMatchObject({ mode: expect.stringMatching(/panic|stable/) });
    // Idle: after the stable window and the delay it returns to its minimum.
    let now = scaled;
    for (let i = 0; i < 60 && (now.scaling[0]?.current ?? 0) > 1; i++) {
      await sleep(250);
      now = await deployment('slow');
    }
    expect(now.scaling[0]).toMatchObject({ current: 1, minInstances: 1, maxInstances: 3 });
    expect(now.instances).toHaveLength(1);
    const audit = (await (await t.fetch('/api/v1/audit?action=deployment.scale')).json()) as {
      data: { target: string; detail: { current: number; desired: number } }[];
    };
    const slow = audit.data.filter((e) => e.target === 'slow');
    expect(slow.some((e) => e.detail.desired > e.detail.current)).toBe(true);
    expect(slow.some((e) => e.detail.desired < e.detail.current)).toBe(true);
    expect((await infer('slow')).status).toBe(200);
  }, 60_000);

  it('scales an idle deployment to zero; a burst of 20 is held and served, the 21st gets 503 with Retry-After', async () => {
    await deployModel(
      t,
      { name: 'sleepy', bytes: addModel(1) },
      {
        threads: 1,
        autoscaling: { minInstances: 0, maxInstances: 1, scaleToZeroAfterSeconds: 1, maxHeldRequests: 20 },
      },
    );
    let d = await deployment('sleepy');
    for (let i = 0; i < 40 && d.status !== 'unloaded'; i++) {
      await sleep(250);
      d = await deployment('sleepy');
    }
    expect(d).toMatchObject({ status: 'unloaded', instances: [] });
    const answers = await Promise.all(Array.from({ length: 21 }, () => infer('sleepy')));
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toEqual([{ status: 503, retryAfter: '1' }]);
    expect((await deployment('sleepy')).status).toBe('ready');
    const metrics = await (await t.fetch('/metrics')).text();
    expect(metrics).toMatch(/modelport_cold_starts_total\{deployment="sleepy"\} 1/);
  }, 60_000);
});
