import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeInferRequest, floatToHalf, halfToFloat } from '../src/wire/oip/index.js';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { decodePng } from './support/png-decode.js';
import { sharedMemoryBytes } from './support/shared-memory-bytes.js';
import { sharedModel } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

function argmax(values: number[]): number {
  return values.reduce((best, v, i) => (v > (values[best] ?? -Infinity) ? i : best), 0);
}

async function inferBinary(t: TestServer, name: string, body: Buffer, headerLength: number): Promise<Buffer> {
  const res = await t.fetch(`/v2/models/${name}/infer`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(headerLength),
    },
    body,
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`infer ${name}: ${res.status} ${bytes.toString()}`);
  return bytes.subarray(Number(res.headers.get('inference-header-content-length')));
}

describe('isolation: "thread" (the runner on a worker thread of the API process)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { MODELPORT_LOG_LEVEL: 'error' } });
  }, 60_000);
  afterAll(() => t?.close());

  it('serves SqueezeNet through the OIP route with the same answer as a runner process', async (ctx) => {
    const dir = 'squeezenet1.0-fp16';
    const model = await readFile(sharedModel(`${dir}/SqueezeNet_fp16.onnx`, ctx));
    const png = decodePng(await readFile(sharedModel(`${dir}/kitten_224.png`, ctx)));
    const labels = (await readFile(sharedModel(`${dir}/labels.txt`, ctx), 'utf8')).split('\n');
    await deployModel(t, { name: 'squeeze', bytes: model }, { isolation: 'thread' });
    const deployment = (await (await t.fetch('/api/v1/deployments/squeeze')).json()) as {
      settings: { isolation: string };
      instances: { pid: number | null; state: string }[];
    };
    expect(deployment.settings.isolation).toBe('thread');
    // A thread has no process of its own.
    expect(deployment.instances[0]).toMatchObject({ pid: null, state: 'ready' });
    const created = await t.fetch('/api/v1/deployments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'squeeze-process', model: 'squeeze', isolation: 'process' }),
    });
    expect(created.status).toBe(201);

    const plane = 224 * 224;
    const data = new Uint16Array(3 * plane);
    for (let i = 0; i < plane; i++) {
      for (const [c, source] of [2, 1, 0].entries()) {
        data[c * plane + i] = floatToHalf(png.pixels[i * png.channels + source] ?? 0);
      }
    }
    const encoded = encodeInferRequest(
      { inputs: [{ name: 'data_0', datatype: 'FP16', shape: [1, 3, 224, 224], data }] },
      { binary: true },
    );
    const before = await sharedMemoryBytes(t);
    const viaThread = await inferBinary(t, 'squeeze', encoded.body, encoded.headerLength);
    // The 294 KiB input reached the thread through a shared-memory slot, as it reaches a process.
    expect((await sharedMemoryBytes(t)).to - before.to).toBe(data.byteLength);
    const viaProcess = await inferBinary(t, 'squeeze-process', encoded.body, encoded.headerLength);
    expect(viaThread.equals(viaProcess)).toBe(true);
    const scores = Array.from(new Uint16Array(new Uint8Array(viaThread).buffer), halfToFloat);
    expect(labels[argmax(scores)]).toContain('tabby');
  });

  it('keeps concurrent requests apart on the thread, each answered with its own rows', async () => {
    await deployModel(
      t,
      { name: 'adder-thread', bytes: addModel(1) },
      { isolation: 'thread', batching: { maxBatchSize: 8, maxQueueDelayMs: 5 } },
    );
    const answers = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const input = Float32Array.of(i, i + 0.5, -i, 2 * i);
        const encoded = encodeInferRequest(
          { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: input }] },
          { binary: true },
        );
        const out = await inferBinary(t, 'adder-thread', encoded.body, encoded.headerLength);
        return { input, output: new Float32Array(new Uint8Array(out).buffer) };
      }),
    );
    for (const { input, output } of answers)
      expect(Array.from(output)).toEqual(Array.from(input, (v) => v + 1));
  });

  it('refuses an unknown isolation with 400', async () => {
    const res = await t.fetch('/api/v1/deployments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'squeeze-bad', model: 'adder-thread', isolation: 'container' }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('isolation');
  });
});
