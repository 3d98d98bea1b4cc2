import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmMetrics } from '../src/api/index.js';
import { DeploymentSeriesSampler } from '../src/observability/deployment-series.js';
import { histogramQuantile } from '../src/observability/histogram-quantile.js';
import { createInferenceMetrics } from '../src/observability/inference-metrics.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('histogramQuantile', () => {
  const inf = Number.POSITIVE_INFINITY;
  it('interpolates inside the bucket the rank falls in, as PromQL does', () => {
    expect(histogramQuantile(0.5, { le: [1, 2, 4, inf], counts: [0, 10, 10, 10] })).toBeCloseTo(1.5);
    expect(histogramQuantile(0.95, { le: [1, 2, 4, inf], counts: [0, 0, 20, 20] })).toBeCloseTo(3.9);
  });
  it('answers null without observations, and the highest bound for the +Inf bucket', () => {
    expect(histogramQuantile(0.5, { le: [1, inf], counts: [0, 0] })).toBeNull();
    expect(histogramQuantile(0.99, { le: [1, 2, inf], counts: [1, 1, 10] })).toBe(2);
  });
});

describe('DeploymentSeriesSampler', () => {
  it('turns the growth of the metrics between two samples into one point per deployment', async () => {
    const registry = new Registry();
    const inference = createInferenceMetrics(registry);
    const llm = createLlmMetrics(registry);
    const sampler = new DeploymentSeriesSampler(registry);
    for (let i = 0; i < 4; i++) {
      inference.success.series('iris', '1').inc();
      inference.queueSeconds.series('iris', '1').observe(0.002);
      inference.computeSeconds.series('iris', '1').observe(0.003);
      inference.batchSize.series('iris', '1').observe(i < 2 ? 1 : 3);
    }
    inference.failure.series('iris', '1', 'validation_failed').inc();
    await sampler.sample(Date.now() + 2_000);
    llm.timeToFirstTokenSeconds.observe({ model: 'stories', endpoint: 'chat' }, 0.04);
    llm.completionTokens.inc({ model: 'stories', endpoint: 'chat' }, 100);
    await sampler.sample(Date.now() + 4_000);

    const [first, second] = sampler.of('iris');
    expect(first?.requestsPerSecond).toBeGreaterThan(1.9); // 4 in ~2 s
    expect(first?.errorsPerSecond).toBeGreaterThan(0.45);
    expect(first?.queueMsMean).toBeCloseTo(2);
    expect(first?.batchSizeMean).toBeCloseTo(2);
    expect(first?.computeMsP50).toBeGreaterThan(1);
    expect(first?.computeMsP50).toBeLessThanOrEqual(5);
    // Nothing happened since: rates drop to 0, means and percentiles to null.
    expect(second).toMatchObject({ requestsPerSecond: 0, queueMsMean: null, computeMsP50: null });
    const [llmPoint] = sampler.of('stories');
    expect(llmPoint?.tokensPerSecond).toBeGreaterThan(40);
    expect(llmPoint?.ttftMsP50).toBeGreaterThan(25);
    expect(llmPoint?.ttftMsP50).toBeLessThanOrEqual(50);
    expect(sampler.of('missing')).toEqual([]);
  });
});

describe('GET /api/v1/deployments/{name}/series', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ demo: true });
  }, 60_000);
  afterAll(() => t.close());

  it("returns the deployment's points once it served requests", { timeout: 30_000 }, async () => {
    const meta = (await (await t.fetch('/v2/models/iris')).json()) as {
      inputs: { name: string; datatype: string }[];
    };
    const input = meta.inputs[0];
    const body = JSON.stringify({
      inputs: [{ name: input?.name, datatype: input?.datatype, shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }],
    });
    for (let i = 0; i < 5; i++) {
      const res = await t.fetch('/v2/models/iris/infer', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(200);
    }
    // The sampler takes a point every 5 s.
    let series: { intervalSeconds: number; points: { requestsPerSecond: number }[] } = {
      intervalSeconds: 0,
      points: [],
    };
    await expect
      .poll(
        async () => {
          series = (await (await t.fetch('/api/v1/deployments/iris/series')).json()) as typeof series;
          return series.points.some((p) => p.requestsPerSecond > 0);
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    expect(series.intervalSeconds).toBe(5);
  });

  it('answers 404 for an unknown deployment and 401 without a key', async () => {
    const missing = await t.fetch('/api/v1/deployments/nothing/series');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('deployment_not_found');
    expect((await t.fetch('/api/v1/deployments/iris/series', { key: null })).status).toBe(401);
  });
});
