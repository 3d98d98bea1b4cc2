import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/index.js';
import { caught } from './support/caught.js';
import { type SdkHarness, startHarness, uniqueName } from './support/server.js';
import { tinyOnnx } from './support/tiny-onnx.js';

let h: SdkHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.server.close();
});

describe('deployments', () => {
  it('creates, gets, lists, scales and deletes a deployment of an ONNX model', async () => {
    const model = uniqueName('served');
    await h.admin.models.create({ name: model });
    await h.admin.versions.upload(model, tinyOnnx({ tag: 'served' }));

    const name = `${model}-live`;
    const created = await h.admin.deployments.create({ name, model, instances: 1 });
    expect(created).toMatchObject({ name, model, version: 1, ready: true, status: 'ready' });
    expect(created.settings).toMatchObject({ instances: 1, batching: { maxBatchSize: 1 } });
    expect(created.instances).toHaveLength(1);
    expect(created.instances[0]).toMatchObject({ version: 1, state: 'ready' });

    const got = await h.admin.deployments.get(name);
    expect(got).toMatchObject({ name, model, version: 1, ready: true, createdAt: created.createdAt });
    expect((await h.admin.deployments.list()).map((d) => d.name)).toContain(name);

    const scaled = await h.admin.deployments.update(name, { instances: 2 });
    expect(scaled.settings.instances).toBe(2);
    expect(scaled.instances).toHaveLength(2);
    expect((await h.admin.deployments.get(name)).settings.instances).toBe(2);

    await h.admin.deployments.delete(name);
    expect((await h.admin.deployments.list()).map((d) => d.name)).not.toContain(name);
  });

  it('an unknown deployment is a NotFoundError with code deployment_not_found', async () => {
    const ghost = uniqueName('ghost');
    for (const call of [() => h.admin.deployments.get(ghost), () => h.admin.deployments.delete(ghost)]) {
      const err = await caught(call());
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err).toMatchObject({ status: 404, code: 'deployment_not_found' });
      expect(err.message).toContain(ghost);
    }
  });
});
