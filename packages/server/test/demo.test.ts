import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelCatalog } from '../src/app/shared-models.js';
import { sharedModel } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

interface Model {
  name: string;
  latestVersion: number | null;
  aliases: Record<string, number>;
}

describe('first start', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ demo: true });
  }, 120_000);
  afterAll(() => t.close());

  it('registers the demo model the project trains itself, aliased production', async () => {
    const iris = (await (await t.fetch('/api/v1/models/iris')).json()) as Model;
    expect(iris).toMatchObject({ name: 'iris', latestVersion: 1, aliases: { production: 1 } });
    const version = (await (await t.fetch('/api/v1/models/iris/versions/production')).json()) as {
      format: string;
      config: { labels: string[]; metrics: { accuracy: number } };
      metadata: { onnx: { inputs: { name: string; shape: number[] }[] } };
    };
    expect(version.format).toBe('onnx');
    expect(version.config.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(version.config.metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(version.metadata.onnx.inputs[0]).toEqual({ name: 'features', datatype: 'FP32', shape: [-1, 4] });
  });

  it('serves the demo model right away: a setosa flower is a setosa', async () => {
    const res = await t.fetch('/v2/models/iris/infer', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }],
      }),
    });
    const body = (await res.json()) as { outputs: { name: string; data: number[] }[] };
    const probabilities = body.outputs[0]?.data ?? [];
    expect(body.outputs[0]?.name).toBe('probabilities');
    expect(probabilities.indexOf(Math.max(...probabilities))).toBe(0);
  });

  it.for(sharedModelCatalog.map((e) => [e.name, e.path] as const))(
    'registers the shared model %s when present',
    async ([name, relative], ctx) => {
      sharedModel(relative, ctx);
      const model = (await (await t.fetch(`/api/v1/models/${name}`)).json()) as Model;
      expect(model.latestVersion).toBe(1);
      expect(model.aliases.production).toBe(1);
    },
  );

  it('leaves existing models alone on the next start', async () => {
    const { seedDemoModels } = await import('../src/app/seed-demo.js');
    const seeded = await seedDemoModels(t.server.platform, t.server.bootstrap);
    expect(seeded).toEqual([]);
  });
});
