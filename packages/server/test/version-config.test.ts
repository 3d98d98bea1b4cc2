import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRunnerHost } from '../src/engine/index.js';
import { buildOnnxModel } from '../src/formats/index.js';
import { createLogger } from '../src/platform/index.js';
import { addModel, folderModelTar } from './support/artifacts.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

/** An image classifier of 4×4 RGB images: the mean of each channel, as three scores. */
function tinyVision(): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'pixels', elemType: 'FP32', shape: ['batch', 3, 4, 4] }],
    outputs: [{ name: 'scores', elemType: 'FP32', shape: ['batch', 3] }],
    nodes: [
      { opType: 'GlobalAveragePool', inputs: ['pixels'], outputs: ['pooled'] },
      { opType: 'Flatten', inputs: ['pooled'], outputs: ['scores'] },
    ],
  });
}

interface ErrorBody {
  error: { code: string; message: string };
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, code: body.error.code, message: body.error.message };
}

describe('a version config is checked against its model when it is set', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const models = [
      { name: 'vision', task: 'image-classification' },
      { name: 'blank-vision', task: 'image-classification' },
      { name: 'sentiment', task: 'text-classification' },
      { name: 'adder', task: 'tensor' },
    ];
    for (const model of models) {
      const res = await t.fetch('/api/v1/models', {
        method: 'POST',
        headers: json,
        body: JSON.stringify(model),
      });
      expect(res.status).toBe(201);
    }
    for (const [name, bytes] of [
      ['vision', tinyVision()],
      ['blank-vision', tinyVision()],
      ['sentiment', await folderModelTar()],
      ['adder', addModel(1)],
    ] as const) {
      expect((await upload(name, bytes)).status).toBe(201);
    }
  });
  afterAll(() => t?.close());

  const upload = (name: string, body: Uint8Array, headers: Record<string, string> = {}) =>
    t.fetch(`/api/v1/models/${name}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...headers },
      body,
    });

  const patch = (name: string, config: unknown) =>
    t.fetch(`/api/v1/models/${name}/versions/1`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ config }),
    });

  const storedConfig = async (name: string, version = 1) =>
    ((await (await t.fetch(`/api/v1/models/${name}/versions/${version}`)).json()) as { config: unknown })
      .config;

  const versionCount = async (name: string) =>
    ((await (await t.fetch(`/api/v1/models/${name}/versions`)).json()) as { data: unknown[] }).data.length;

  it('PATCH refuses what the image pipeline would refuse, naming the field, and keeps the config', async () => {
    const cases: [unknown, RegExp][] = [
      [
        { image: { channels: 'purple' } },
        /^Invalid version config for image-classification, config\.image\.channels: /,
      ],
      [{ image: { layuot: 'NCHW' } }, /config\.image: Unknown field 'layuot'/],
      [
        { image: { channels: 'gray' } },
        /config\.image: .*takes 3 as its channel dimension, the config gives 1/,
      ],
      [{ image: {}, output: 'probs' }, /config\.output: the model has no output 'probs' \(it has scores\)/],
      [{ labels: ['r', 'g', 'b'] }, /config\.image: /],
    ];
    for (const [config, message] of cases) {
      const refused = await errorOf(await patch('vision', config));
      expect(refused, JSON.stringify(config)).toMatchObject({ status: 400, code: 'invalid_config' });
      expect(refused.message).toMatch(message);
    }
    expect(await storedConfig('vision')).toEqual({});
    const good = {
      image: { channels: 'RGB', scale: 0.0039 },
      labels: ['red', 'green', 'blue'],
      note: 'kept',
    };
    const res = await patch('vision', good);
    expect(res.status).toBe(200);
    expect(await storedConfig('vision')).toEqual(good);
  });

  it('PATCH checks a transformers folder config; an empty config and a tensor model take anything', async () => {
    const dtype = await errorOf(await patch('sentiment', { dtype: 'fp8' }));
    expect(dtype).toMatchObject({ status: 400, code: 'invalid_config' });
    expect(dtype.message).toMatch(/^Invalid version config for text-classification, config\.dtype: /);
    const pooling = await errorOf(await patch('sentiment', { pooling: 'max' }));
    expect(pooling.message).toMatch(/config\.pooling: /);
    expect((await patch('sentiment', { dtype: 'fp32', labels: 'from config.json' })).status).toBe(200);
    const missing = await errorOf(await patch('sentiment', { dtype: 'q8' }));
    expect(missing).toMatchObject({ status: 400, code: 'invalid_config' });
    expect(missing.message).toBe(
      'Invalid version config for text-classification, config.dtype: no ONNX file of dtype q8 ' +
        '(*_quantized.onnx); onnx/ holds: model.onnx (fp32)',
    );
    const perFile = await errorOf(await patch('sentiment', { dtype: { model: 'fp16' } }));
    expect(perFile.message).toMatch(
      /config\.dtype\.model: fp16 needs onnx\/model_fp16\.onnx; onnx\/ holds: model\.onnx/,
    );
    expect((await patch('sentiment', { dtype: { model: 'fp32' } })).status).toBe(200);
    expect((await patch('adder', { image: { channels: 'purple' } })).status).toBe(200);
    expect((await patch('vision', {})).status).toBe(200);
  });

  it('an upload with a config that does not fit stores no version (header and form field)', async () => {
    const before = await versionCount('vision');
    const header = await upload('vision', tinyVision(), {
      'modelport-config': JSON.stringify({ image: { layout: 'NCHV' } }),
    });
    expect(await errorOf(header)).toMatchObject({ status: 400, code: 'invalid_config' });
    const form = new FormData();
    form.append('config', JSON.stringify({ image: { width: 5 } }));
    form.append('file', new Blob([tinyVision()]), 'vision.onnx');
    const multipart = await errorOf(
      await t.fetch('/api/v1/models/vision/versions', { method: 'POST', body: form }),
    );
    expect(multipart).toMatchObject({ status: 400, code: 'invalid_config' });
    expect(multipart.message).toMatch(/config\.image: .*takes 4 as its width dimension, the config gives 5/);
    expect(await versionCount('vision')).toBe(before);
    const fine = await upload('vision', tinyVision(), { 'modelport-config': JSON.stringify({ image: {} }) });
    expect(fine.status).toBe(201);
  });

  it('a deploy of a version whose stored config does not fit answers invalid_config, not invalid_artifact', async () => {
    // A config stored before configs were checked.
    const { db } = t.server.platform.store;
    await db
      .updateTable('model_versions')
      .set({ config: JSON.stringify({ image: { channels: 'purple' } }) })
      .where('model_id', 'in', db.selectFrom('models').select('id').where('name', '=', 'vision'))
      .where('version', '=', 1)
      .execute();
    const stored = await errorOf(
      await t.fetch('/api/v1/deployments', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ model: 'vision', version: 1 }),
      }),
    );
    expect(stored).toMatchObject({ status: 400, code: 'invalid_config' });
    expect(stored.message).toMatch(/config\.image\.channels/);
    const blank = await errorOf(
      await t.fetch('/api/v1/deployments', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ model: 'blank-vision' }),
      }),
    );
    expect(blank).toMatchObject({ status: 400, code: 'invalid_config' });
    expect(blank.message).toMatch(/config\.image: /);
    expect((await t.fetch('/api/v1/deployments/vision')).status).toBe(404);
  });
});

describe('a runner that refuses the config at load', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mp-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('fails its start with invalid_config and the field, not as a bad artifact', async () => {
    const modelPath = path.join(dir, 'adder.onnx');
    await writeFile(modelPath, addModel(1));
    const host = new LocalRunnerHost(
      {
        backend: 'onnx',
        modelPath,
        modelName: 'adder',
        modelVersion: '1',
        threads: 1,
        options: { task: 'image-classification', taskConfig: { image: {} } },
        batching: { maxBatchSize: 1, maxQueueDelayMs: 0 },
        maxQueueSize: 4,
        timeoutMs: 10_000,
        maxBodyBytes: 1024 * 1024,
      },
      createLogger('silent'),
    );
    const failure = await host.start().then(
      () => undefined,
      (err: unknown) => err as { code?: string; param?: string; message: string },
    );
    await host.stop();
    expect(failure).toMatchObject({ code: 'invalid_config', param: 'config.input' });
    expect(failure?.message).toMatch(/input 'x' has shape \[-1,4\], an image needs 4 dimensions/);
  });
});
