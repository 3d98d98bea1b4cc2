import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
// Runners must turn onnxruntime's telemetry off themselves: nothing in this file's environment does.
delete process.env.ORT_DISABLE_TELEMETRY;

interface Deployment {
  name: string;
  version: number;
  ready: boolean;
  instances: { state: string; pid: number | null; version: number }[];
}

async function deploy(t: TestServer, body: Record<string, unknown>): Promise<Deployment> {
  const res = await t.fetch('/api/v1/deployments', {
    method: 'POST',
    headers: json,
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`deploy: ${res.status} ${await res.text()}`);
  return (await res.json()) as Deployment;
}

function inferBody(values: number[], rows = 1) {
  return JSON.stringify({
    id: 'req-1',
    inputs: [{ name: 'x', datatype: 'FP32', shape: [rows, 4], data: values }],
  });
}

describe('serving ONNX over the Open Inference Protocol', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'adder' }),
    });
    for (const bias of [1, 100]) {
      await t.fetch('/api/v1/models/adder/versions', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: addModel(bias),
      });
    }
  }, 60_000);
  afterAll(() => t.close());

  it('deploys a version and reports it ready with its runner processes', async () => {
    const d = await deploy(t, {
      model: 'adder',
      version: 1,
      instances: 1,
      batching: { maxBatchSize: 8, maxQueueDelayMs: 2 },
    });
    expect(d).toMatchObject({ name: 'adder', version: 1, ready: true });
    expect(d.instances[0]?.state).toBe('ready');
    expect(d.instances[0]?.pid).toBeGreaterThan(0);
    const ready = await t.fetch('/v2/models/adder/ready');
    expect(await ready.json()).toEqual({ name: 'adder', ready: true });
    // onnxruntime's telemetry, when on, leaves this log behind once the runner creates its session.
    for (const dir of new Set(['/tmp', os.tmpdir()])) {
      expect(existsSync(path.join(dir, `mat-debug-${d.instances[0]?.pid}.log`))).toBe(false);
    }
  });

  it('answers server and model metadata', async () => {
    const server = (await (await t.fetch('/v2')).json()) as { extensions: string[] };
    expect(server.extensions).toContain('binary_tensor_data');
    const meta = await (await t.fetch('/v2/models/adder')).json();
    expect(meta).toEqual({
      name: 'adder',
      versions: ['1'],
      platform: 'onnx_onnxv1',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 4] }],
    });
    expect((await t.fetch('/v2/models/adder/versions/1')).status).toBe(200);
    const wrong = await t.fetch('/v2/models/adder/versions/2');
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as { error: string }).error).toContain('serves version 1');
    expect((await t.fetch('/v2/models/nothing')).status).toBe(404);
  });

  it('infers with JSON tensors, echoing the id, with Server-Timing', async () => {
    const res = await t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: json,
      body: inferBody([1, 2, 3, 4]),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toMatch(/queue;dur=[\d.]+, infer;dur=[\d.]+/);
    expect(await res.json()).toEqual({
      model_name: 'adder',
      model_version: '1',
      id: 'req-1',
      outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 4], data: [2, 3, 4, 5] }],
    });
  });

  it('infers with binary tensors in and out', async () => {
    const header = Buffer.from(
      JSON.stringify({
        inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 4], parameters: { binary_data_size: 32 } }],
        outputs: [{ name: 'y', parameters: { binary_data: true } }],
      }),
    );
    const data = Buffer.from(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7]).buffer);
    const res = await t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.length),
      },
      body: Buffer.concat([header, data]),
    });
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    const headerLength = Number(res.headers.get('inference-header-content-length'));
    const meta = JSON.parse(body.subarray(0, headerLength).toString()) as {
      outputs: { parameters: { binary_data_size: number } }[];
    };
    expect(meta.outputs[0]?.parameters.binary_data_size).toBe(32);
    const out = new Float32Array(body.subarray(headerLength).buffer.slice(body.byteOffset + headerLength));
    expect([...out]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it.each([
    [
      'an unknown input',
      { inputs: [{ name: 'nope', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] },
      400,
    ],
    [
      'a wrong datatype',
      { inputs: [{ name: 'x', datatype: 'INT32', shape: [1, 4], data: [1, 2, 3, 4] }] },
      400,
    ],
    [
      'a shape that disagrees with the data',
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2] }] },
      400,
    ],
    [
      'a negative dimension',
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4], data: [1, 2, 3, 4] }] },
      400,
    ],
    [
      'a wrong fixed dimension',
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] },
      400,
    ],
    ['no inputs', { inputs: [] }, 400],
  ])('refuses %s with an OIP error', async (_what, body, status) => {
    const res = await t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(status);
    const err = (await res.json()) as { error: unknown };
    expect(typeof err.error).toBe('string');
  });

  it('refuses a binary header longer than the body', async () => {
    const res = await t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': '9999' },
      body: inferBody([1, 2, 3, 4]),
    });
    expect(res.status).toBe(400);
  });

  it('needs a key with the infer scope and hides models outside the allow-list', async () => {
    expect((await t.fetch('/v2/models/adder', { key: null })).status).toBe(401);
    const other = await t.mintKey({ scopes: ['infer'], models: ['other'] });
    expect(
      (
        await t.fetch('/v2/models/adder/infer', {
          method: 'POST',
          key: other,
          headers: json,
          body: inferBody([1, 2, 3, 4]),
        })
      ).status,
    ).toBe(404);
    const metricsOnly = await t.mintKey({ scopes: ['metrics'] });
    expect((await t.fetch('/v2/models/adder', { key: metricsOnly })).status).toBe(403);
  });

  it('counts requests per model on /metrics', async () => {
    const text = await (await t.fetch('/metrics')).text();
    expect(text).toMatch(/modelport_inference_request_success_total\{model="adder",version="1"\} [1-9]/);
    expect(text).toContain('modelport_inference_batch_size_bucket');
  });

  it('restarts a runner killed mid-request: that request fails with 5xx, the next ones succeed', async () => {
    const d = (await (await t.fetch('/api/v1/deployments/adder')).json()) as Deployment;
    const pid = d.instances[0]?.pid;
    expect(pid).toBeGreaterThan(0);
    const inflight = Promise.all(
      Array.from({ length: 20 }, () =>
        t.fetch('/v2/models/adder/infer', { method: 'POST', headers: json, body: inferBody([1, 2, 3, 4]) }),
      ),
    );
    process.kill(pid as number, 'SIGKILL');
    const statuses = (await inflight).map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 502 || s === 503)).toBe(true);
    let ok = false;
    for (let i = 0; i < 100 && !ok; i++) {
      const res = await t.fetch('/v2/models/adder/infer', {
        method: 'POST',
        headers: json,
        body: inferBody([1, 2, 3, 4]),
      });
      if (res.status === 503) expect(res.headers.get('retry-after')).toBe('1');
      ok = res.status === 200;
      if (!ok) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ok).toBe(true);
    const after = (await (await t.fetch('/api/v1/deployments/adder')).json()) as Deployment;
    expect(after.instances[0]?.pid).not.toBe(pid);
  });

  it('swaps to another version without dropping a request', async () => {
    let stop = false;
    const statuses: number[] = [];
    const outputs = new Set<number>();
    const load = (async () => {
      while (!stop) {
        const res = await t.fetch('/v2/models/adder/infer', {
          method: 'POST',
          headers: json,
          body: inferBody([0, 0, 0, 0]),
        });
        statuses.push(res.status);
        if (res.status === 200)
          outputs.add(((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data[0] ?? -1);
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    const swapped = await t.fetch('/api/v1/deployments/adder', {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ version: 2 }),
    });
    expect(((await swapped.json()) as Deployment).version).toBe(2);
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await load;
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect([...outputs].sort((a, b) => a - b)).toEqual([1, 100]);
  });

  it('refuses to delete a deployed model, and stops serving on delete', async () => {
    expect((await t.fetch('/api/v1/models/adder', { method: 'DELETE' })).status).toBe(409);
    expect((await t.fetch('/api/v1/deployments/adder', { method: 'DELETE' })).status).toBe(204);
    expect((await t.fetch('/v2/models/adder')).status).toBe(404);
    expect((await t.fetch('/api/v1/models/adder', { method: 'DELETE' })).status).toBe(204);
  });
});
