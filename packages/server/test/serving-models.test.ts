import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel } from '../src/formats/index.js';
import { encodeInferRequest, floatToHalf, halfToFloat, parseInferResponse } from '../src/wire/oip/index.js';
import { type Datatype, datatypes } from '../src/wire/tensor.js';
import { addModel } from './support/artifacts.js';
import { decodePng } from './support/png-decode.js';
import { sharedModel } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const INFER_LIMIT = 1024 * 1024;

async function register(
  t: TestServer,
  name: string,
  bytes: Uint8Array,
  deployment: Record<string, unknown> = {},
) {
  await t.fetch('/api/v1/models', { method: 'POST', headers: json, body: JSON.stringify({ name }) });
  const up = await t.fetch(`/api/v1/models/${name}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  if (up.status !== 201) throw new Error(`upload ${name}: ${up.status} ${await up.text()}`);
  const dep = await t.fetch('/api/v1/deployments', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ model: name, ...deployment }),
  });
  if (dep.status !== 201) throw new Error(`deploy ${name}: ${dep.status} ${await dep.text()}`);
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) > (values[best] ?? 0)) best = i;
  return best;
}

describe('serving real models and every datatype', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { MODELPORT_MAX_INFER_BODY_BYTES: String(INFER_LIMIT) } });
  }, 60_000);
  afterAll(() => t.close());

  it('reads the handwritten 8 with MNIST (JSON tensors)', async (ctx) => {
    const model = sharedModel('mnist/mnist.onnx', ctx);
    const png = decodePng(await readFile(sharedModel('mnist/mnist_28.png', ctx)));
    await register(t, 'mnist', await readFile(model));
    const pixels = Array.from({ length: 28 * 28 }, (_, i) => png.pixels[i * png.channels] ?? 0);
    const res = await t.fetch('/v2/models/mnist/infer', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: pixels }],
      }),
    });
    const body = (await res.json()) as { outputs: { data: number[] }[] };
    expect(argmax(body.outputs[0]?.data ?? [])).toBe(8);
  });

  it('sees a tabby in the kitten with SqueezeNet fp16 (binary FP16 tensors)', async (ctx) => {
    const dir = 'squeezenet1.0-fp16';
    const model = sharedModel(`${dir}/SqueezeNet_fp16.onnx`, ctx);
    const png = decodePng(await readFile(sharedModel(`${dir}/kitten_224.png`, ctx)));
    const labels = (await readFile(sharedModel(`${dir}/labels.txt`, ctx), 'utf8')).split('\n');
    await register(t, 'squeezenet', await readFile(model));
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
    const res = await t.fetch('/v2/models/squeezenet/infer', {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(encoded.headerLength),
      },
      body: encoded.body,
    });
    expect(res.status).toBe(200);
    const parsed = parseInferResponse(
      Buffer.from(await res.arrayBuffer()),
      Number(res.headers.get('inference-header-content-length')),
    );
    const scores = Array.from(parsed.outputs[0]?.data as Uint16Array, halfToFloat);
    expect(labels[argmax(scores)]).toContain('tabby');
    // No batch dimension: Triton's configuration says max_batch_size 0 and keeps every dim.
    const config = (await (await t.fetch('/v2/models/squeezenet/config')).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      max_batch_size: 0,
      input: [{ name: 'data_0', data_type: 'TYPE_FP16', dims: [1, 3, 224, 224] }],
    });
    expect(config).not.toHaveProperty('dynamic_batching');
  });

  it('round-trips every datatype through a runner, INT64 and UINT64 without losing precision', async () => {
    // FP16 has no JSON form worth comparing as text; the SqueezeNet test covers it in binary.
    const types = datatypes.filter((d) => d !== 'FP16');
    const bytes = buildOnnxModel({
      inputs: types.map((d) => ({ name: `in_${d}`, elemType: d, shape: [2] })),
      outputs: types.map((d) => ({ name: `out_${d}`, elemType: d, shape: [2] })),
      nodes: types.map((d) => ({ opType: 'Identity', inputs: [`in_${d}`], outputs: [`out_${d}`] })),
    });
    await register(t, 'identity', bytes);
    const values: Record<Datatype, string> = {
      BOOL: '[true,false]',
      UINT8: '[0,255]',
      UINT16: '[0,65535]',
      UINT32: '[0,4294967295]',
      UINT64: '[0,18446744073709551615]',
      INT8: '[-128,127]',
      INT16: '[-32768,32767]',
      INT32: '[-2147483648,2147483647]',
      INT64: '[-9223372036854775808,9007199254740993]',
      FP16: '',
      FP32: '[1.5,-2.25]',
      FP64: '[0.1,-1234.5]',
      BYTES: '["héllo",""]',
    };
    const inputs = types.map((d) => `{"name":"in_${d}","datatype":"${d}","shape":[2],"data":${values[d]}}`);
    const res = await t.fetch('/v2/models/identity/infer', {
      method: 'POST',
      headers: json,
      body: `{"inputs":[${inputs.join(',')}]}`,
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const d of types)
      expect(text).toContain(`"name":"out_${d}","datatype":"${d}","shape":[2],"data":${values[d]}`);
  });

  it.each([
    [
      'a fraction for an integer input',
      '{"inputs":[{"name":"in_INT32","datatype":"INT32","shape":[2],"data":[1.5,2]}]}',
    ],
    [
      '"NaN" for an integer input',
      '{"inputs":[{"name":"in_INT64","datatype":"INT64","shape":[2],"data":["NaN",2]}]}',
    ],
    [
      'a value out of range',
      '{"inputs":[{"name":"in_UINT8","datatype":"UINT8","shape":[2],"data":[256,2]}]}',
    ],
    [
      'an INT64 beyond 2^63',
      '{"inputs":[{"name":"in_INT64","datatype":"INT64","shape":[2],"data":[9223372036854775808,2]}]}',
    ],
  ])('refuses %s with 400', async (_what, body) => {
    const res = await t.fetch('/v2/models/identity/infer', { method: 'POST', headers: json, body });
    expect(res.status).toBe(400);
    expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
  });

  it('refuses a body over the inference limit with 413 in the OIP shape', async () => {
    const res = await t.fetch('/v2/models/identity/infer', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ inputs: [], pad: 'x'.repeat(INFER_LIMIT) }),
    });
    expect(res.status).toBe(413);
    expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
  });

  it('merges concurrent requests into batches inside the runner', async () => {
    await register(t, 'batched', addModel(7), { batching: { maxBatchSize: 8, maxQueueDelayMs: 50 } });
    const body = (v: number) =>
      JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [v, v, v, v] }] });
    const results = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const res = await t.fetch('/v2/models/batched/infer', {
          method: 'POST',
          headers: json,
          body: body(i),
        });
        return ((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data;
      }),
    );
    expect(results).toEqual(Array.from({ length: 8 }, (_, i) => [i + 7, i + 7, i + 7, i + 7]));
    const metrics = await (await t.fetch('/metrics')).text();
    const single = /modelport_inference_batch_size_bucket\{le="1",model="batched",version="1"\} (\d+)/.exec(
      metrics,
    );
    expect(Number(single?.[1])).toBeLessThan(8);
  });

  it('recovers from a runner crash by SIGSEGV', async () => {
    const dep = (await (await t.fetch('/api/v1/deployments/batched')).json()) as {
      instances: { pid: number }[];
    };
    const pid = dep.instances[0]?.pid as number;
    const body = JSON.stringify({
      inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }],
    });
    const inflight = t.fetch('/v2/models/batched/infer', { method: 'POST', headers: json, body });
    process.kill(pid, 'SIGSEGV');
    expect([200, 502, 503]).toContain((await inflight).status);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await t.fetch('/v2/models/batched/infer', { method: 'POST', headers: json, body })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });
});
