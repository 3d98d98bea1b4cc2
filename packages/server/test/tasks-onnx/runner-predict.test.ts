import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunnerServer } from '../../src/runtime/runner/runner-server.js';
import { type ServedModel, serveModel } from '../../src/runtime/runner/served-model.js';
import { type IrisDemo, trainIrisDemo } from '../../src/training/index.js';
import type { RunnerSpec } from '../../src/wire/runner/runner-spec.js';
import { loadModel, scratchDir, squeezenetConfig, unloadModels } from '../support/onnx-task-fixtures.js';
import { sharedModel } from '../support/shared-models.js';

const servers: FastifyInstance[] = [];
const served: ServedModel[] = [];
let scratch: Awaited<ReturnType<typeof scratchDir>>;
let demo: IrisDemo;
let irisFile: string;

beforeAll(async () => {
  scratch = await scratchDir();
  demo = trainIrisDemo();
  irisFile = await scratch.write('iris.onnx', demo.onnx);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(served.map((m) => m.close()));
  await unloadModels();
  await scratch?.cleanup();
});

function runnerSpec(modelPath: string, options: Record<string, unknown>): RunnerSpec {
  return {
    listen: { socketPath: '/unused.sock' },
    backend: 'onnx',
    modelPath,
    modelName: 'm',
    modelVersion: '1',
    threads: 1,
    options,
    batching: { maxBatchSize: 8, maxQueueDelayMs: 100 },
    maxQueueSize: 16,
    timeoutMs: 10_000,
    maxBodyBytes: 1024 * 1024,
  };
}

/** The tensor runner as runner-main builds it, with every run's batch size and request count recorded. */
async function runner(spec: RunnerSpec, batches: [number, number][] = []) {
  const model = serveModel(await loadModel(spec.modelPath), {
    ...spec,
    batching: { ...spec.batching, onBatch: (size, requests) => batches.push([size, requests]) },
  });
  served.push(model);
  const app = await buildRunnerServer(spec, model);
  servers.push(app);
  return app;
}

const irisOptions = () => ({ task: 'tabular', taskConfig: demo.config });
const setosa = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

describe('POST /v1/predict on the tensor runner', () => {
  it('classifies the kitten with SqueezeNet from a base64 PNG', async (ctx) => {
    const labels = sharedModel('squeezenet1.0-fp16/labels.txt', ctx);
    const kitten = await readFile(sharedModel('squeezenet1.0-fp16/kitten_224.png', ctx));
    const modelFile = sharedModel('squeezenet1.0-fp16/SqueezeNet_fp16.onnx', ctx);
    const options = { task: 'image-classification', taskConfig: squeezenetConfig(labels) };
    const app = await runner(runnerSpec(modelFile, options));
    const payload = { task: 'image-classification', image: kitten.toString('base64'), topK: 2 };
    const res = await app.inject({ method: 'POST', url: '/v1/predict', payload });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json();
    expect(body.task).toBe('image-classification');
    expect(body.predictions).toHaveLength(2);
    expect(body.predictions[0].label).toContain('tabby');
  });

  it('runs table rows, batched together with a tensor request sent at the same time', async () => {
    const batches: [number, number][] = [];
    const app = await runner(runnerSpec(irisFile, irisOptions()), batches);
    const tensor = {
      inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: [6.3, 3.3, 6, 2.5] }],
    };
    const [predicted, inferred] = await Promise.all([
      app.inject({
        method: 'POST',
        url: '/v1/predict',
        payload: { task: 'tabular', rows: [setosa, setosa] },
      }),
      app.inject({ method: 'POST', url: '/v2/models/m/infer', payload: tensor }),
    ]);
    expect(predicted.statusCode).toBe(200);
    expect(predicted.json().predictions.map((p: { label: string }) => p.label)).toEqual(['setosa', 'setosa']);
    expect(inferred.statusCode).toBe(200);
    expect(batches).toEqual([[3, 2]]);
  });

  it('answers errors as {error, code} with the catalog status', async () => {
    const app = await runner(runnerSpec(irisFile, irisOptions()));
    const cases = [
      [
        { task: 'tabular', rows: [{ sepal_length: 5.1 }] },
        400,
        'validation_failed',
        /rows\[0\] lacks the field 'sepal_width'/,
      ],
      [
        { task: 'image-classification', image: '' },
        400,
        'task_not_supported',
        /does tabular, not image-classification/,
      ],
      ['{"task": "tabular", ', 400, 'invalid_json', /not valid JSON/],
      ['', 400, 'invalid_json', /cannot be empty/],
    ] as const;
    for (const [payload, status, code, error] of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/predict',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      // `param` names the field at fault where there is one.
      const { param: _param, ...body } = res.json() as { param?: string };
      expect({ status: res.statusCode, body }).toEqual({
        status,
        body: { code, error: expect.stringMatching(error) },
      });
    }
  });

  it('refuses a body over spec.maxBodyBytes with 413', async () => {
    const app = await runner({ ...runnerSpec(irisFile, irisOptions()), maxBodyBytes: 1024 });
    const rows = Array.from({ length: 50 }, () => setosa);
    const res = await app.inject({ method: 'POST', url: '/v1/predict', payload: { task: 'tabular', rows } });
    expect({ status: res.statusCode, code: res.json().code }).toEqual({
      status: 413,
      code: 'payload_too_large',
    });
  });

  it('a runner without spec.options.task has no pipeline; its tensor route still serves', async () => {
    const app = await runner(runnerSpec(irisFile, {}));
    const res = await app.inject({
      method: 'POST',
      url: '/v1/predict',
      payload: { task: 'tabular', rows: [setosa] },
    });
    expect({ status: res.statusCode, code: res.json().code }).toEqual({
      status: 400,
      code: 'task_not_supported',
    });
    const ready = await app.inject({ method: 'GET', url: '/v2/health/ready' });
    expect(ready.statusCode).toBe(200);
  });

  it('a version config that does not fit the model stops the runner from starting', async () => {
    const options = { task: 'tabular', taskConfig: { ...demo.config, features: ['only_one'] } };
    await expect(runner(runnerSpec(irisFile, options))).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringMatching(/config\.input: .*the config lists 1 features/),
    });
  });
});
