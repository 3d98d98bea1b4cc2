import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from '../../server/test/support/artifacts.js';
import { NotFoundError, type ShadowReport } from '../src/index.js';
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

  it('sets weighted variants as a new revision and lists the revisions', async () => {
    const model = uniqueName('split');
    await h.admin.models.create({ name: model });
    await h.admin.versions.upload(model, tinyOnnx({ tag: 'split-1' }));
    await h.admin.versions.upload(model, tinyOnnx({ tag: 'split-2' }));
    const created = await h.admin.deployments.create({ model, version: 1 });
    expect([created.revision, created.variants.map((v) => v.variantName)]).toEqual([1, ['default']]);

    const split = await h.admin.deployments.setVariants(model, {
      variants: [
        { variantName: 'AllTraffic', modelVersion: 1, weight: 90 },
        { variantName: 'Canary', modelVersion: 2, weight: 10 },
      ],
    });
    expect(split.revision).toBe(2);
    expect(split.variants.map((v) => [v.variantName, v.modelVersion, v.weight])).toEqual([
      ['AllTraffic', 1, 90],
      ['Canary', 2, 10],
    ]);
    expect((await h.admin.deployments.revisions(model)).map((r) => r.revision)).toEqual([1, 2]);
    const refused = await caught(
      h.admin.deployments.setVariants(model, {
        variants: [{ variantName: 'A', modelVersion: 1, weight: 0 }],
      }),
    );
    expect(refused).toMatchObject({ status: 400, code: 'invalid_variants' });
    await h.admin.deployments.delete(model);
  });

  it('shadows reports what a shadow variant did with its copies of production traffic', async () => {
    const model = uniqueName('adder');
    await h.admin.models.create({ name: model });
    await h.admin.versions.upload(model, addModel(1));
    await h.admin.versions.upload(model, addModel(2));
    await h.admin.deployments.create({ model, version: 1, threads: 1 });
    expect(await h.admin.deployments.shadows(model)).toEqual([]);

    await h.admin.deployments.setVariants(model, {
      variants: [
        { variantName: 'prod', modelVersion: 1, weight: 100 },
        { variantName: 'mirror', modelVersion: 2, weight: 0, role: 'shadow', samplingPercent: 100 },
      ],
    });
    expect(await h.admin.deployments.shadows(model)).toEqual([
      {
        variant: 'mirror',
        samplingPercent: 100,
        ...{ sent: 0, dropped: 0, errors: 0, compared: 0, identical: 0 },
        ...{ latencyP50: null, latencyP95: null, productionLatencyP50: null, productionLatencyP95: null },
        meanAbsDiff: null,
      },
    ]);
    const copies = 5;
    for (let i = 0; i < copies; i++) {
      const res = await h.server.fetch(`/v2/models/${model}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }],
        }),
      });
      expect(res.status).toBe(200);
    }
    // Copies leave after production answered: read until the shadow answered them all.
    let report: ShadowReport | undefined;
    const until = Date.now() + 20_000;
    do {
      [report] = await h.admin.deployments.shadows(model);
      if (report && report.compared + report.errors >= copies) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < until);
    expect(report).toMatchObject({
      variant: 'mirror',
      sent: copies,
      dropped: 0,
      errors: 0,
      compared: copies,
    });
    expect(report?.identical).toBe(0);
    expect(report?.meanAbsDiff).toBeCloseTo(1, 6);
    for (const ms of [report?.latencyP50, report?.latencyP95, report?.productionLatencyP50])
      expect(ms).toBeGreaterThan(0);
    await h.admin.deployments.delete(model);
  });

  it('an unknown deployment is a NotFoundError with code deployment_not_found', async () => {
    const ghost = uniqueName('ghost');
    for (const call of [
      () => h.admin.deployments.get(ghost),
      () => h.admin.deployments.shadows(ghost),
      () => h.admin.deployments.delete(ghost),
    ]) {
      const err = await caught(call());
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err).toMatchObject({ status: 404, code: 'deployment_not_found' });
      expect(err.message).toContain(ghost);
    }
  });
});
