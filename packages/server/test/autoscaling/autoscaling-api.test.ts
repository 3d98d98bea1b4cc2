import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Deployment } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from '../support/artifacts.js';
import { deployModel } from '../support/deploy-model.js';
import { slowModelBytes } from '../support/misbehaving-models.js';
import { sharedModelOrNull, sharedModelsDir } from '../support/shared-models.js';
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

const gguf = sharedModelOrNull('stories260k/stories260K.gguf');

describe.skipIf(!gguf)(
  'autoscaling a language model: a held stream gets keep-alives, then its tokens',
  () => {
    let t: TestServer;
    const large = path.join(os.tmpdir(), `modelport-held-${process.pid}.gguf`);
    beforeAll(async () => {
      // A cold start (no spare runner: a process boots, then loads) takes far longer than the
      // first keep-alive here (100 ms), however quick the machine. The model is large enough that
      // the next test's two 400-token streams outlast a scale-down decision.
      t = await startTestServer({
        env: { MODELPORT_RUNNER_SPARES: '0', MODELPORT_STREAM_KEEPALIVE_MS: '100' },
      });
      const tool = path.join(sharedModelsDir, '..', 'tools', 'make-gguf.mjs');
      execFileSync(
        process.execPath,
        [tool, '--out', large, '--embd', '1024', '--layers', '12', '--ff', '2816'],
        {
          stdio: 'ignore',
        },
      );
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await rm(large, { force: true });
    });

    it('streams after a cold start, with SSE comments while the runner starts', async () => {
      const steps: [string, RequestInit][] = [
        [
          '/api/v1/models',
          { method: 'POST', headers: json, body: JSON.stringify({ name: 'big', task: 'text-generation' }) },
        ],
        ['/api/v1/models/big/versions', { method: 'POST', body: await readFile(large) }],
        [
          '/api/v1/deployments',
          {
            method: 'POST',
            headers: json,
            body: JSON.stringify({
              model: 'big',
              threads: 1,
              llm: { parallel: 1, contextSize: 256 },
              autoscaling: { minInstances: 0, maxInstances: 1, scaleToZeroAfterSeconds: 1 },
            }),
          },
        ],
      ];
      for (const [pathname, init] of steps) {
        const res = await t.fetch(pathname, {
          ...init,
          headers: { 'content-type': 'application/octet-stream', ...init.headers },
        });
        if (res.status !== 201) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
      }
      for (let i = 0; i < 40; i++) {
        const d = (await (await t.fetch('/api/v1/deployments/big')).json()) as Deployment;
        if (d.status === 'unloaded') break;
        await sleep(250);
      }
      const startedAt = Date.now();
      const res = await t.fetch('/v1/chat/completions', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          model: 'big',
          stream: true,
          max_tokens: 4,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      });
      const text = await res.text();
      const heldMs = Date.now() - startedAt;
      expect(res.status).toBe(200);
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      const firstData = text.indexOf('data: ');
      const firstComment = text.indexOf(': waiting for the model to start');
      expect(firstComment, `held ${heldMs} ms`).toBeGreaterThanOrEqual(0);
      expect(firstComment).toBeLessThan(firstData);
    }, 120_000);
    it('lets a long stream finish on an instance chosen for scale-down', async () => {
      const res = await t.fetch('/api/v1/deployments', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          name: 'big2',
          model: 'big',
          instances: 2,
          threads: 1,
          llm: { parallel: 1, contextSize: 512 },
          // Two streams in flight want one instance (target 2): after 1 s one of the busy two goes.
          autoscaling: {
            minInstances: 1,
            maxInstances: 2,
            targetConcurrency: 2,
            stableWindowSeconds: 2,
            panicWindowSeconds: 1,
            scaleDownDelaySeconds: 1,
          },
        }),
      });
      expect(res.status).toBe(201);
      const stream = async () => {
        const r = await t.fetch('/v1/chat/completions', {
          method: 'POST',
          headers: json,
          body: JSON.stringify({
            model: 'big2',
            stream: true,
            max_tokens: 400,
            messages: [{ role: 'user', content: 'Tell me a story' }],
          }),
        });
        return { status: r.status, text: await r.text() };
      };
      const streams = [stream(), stream()];
      let shrunkWhileStreaming = false;
      let finished = false;
      void Promise.all(streams).then(() => {
        finished = true;
      });
      while (!finished) {
        const d = (await (await t.fetch('/api/v1/deployments/big2')).json()) as Deployment;
        if (!finished && (d.scaling[0]?.current ?? 2) < 2) shrunkWhileStreaming = true;
        await sleep(100);
      }
      const results = await Promise.all(streams);
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      expect(results.every((r) => r.text.trimEnd().endsWith('data: [DONE]'))).toBe(true);
      expect(shrunkWhileStreaming).toBe(true);
    }, 120_000);
  },
);
