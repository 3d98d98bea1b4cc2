import type { Deployment, ShadowReport } from '@modelport/contracts';
import { shadowReportListSchema } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeInferRequest } from '../src/wire/oip/index.js';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { failingModelBytes, slowModelBytes } from './support/misbehaving-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

/**
 * The adder's versions: v1 adds 1, v2 adds 2, v3 adds 1 slowly, v4 fails every run. v3 has 30
 * MatMuls of 512×512 (~45 ms a run on one thread of a 2-core test machine; the default 300 took
 * ~450 ms there), so 64 copies take a few seconds.
 */
const SLOW_MATMULS = 30;
const SLOW = 3;
const FAILING = 4;

interface VariantInput {
  variantName: string;
  modelVersion: number;
  weight: number;
  role?: 'production' | 'shadow';
  samplingPercent?: number | undefined;
}

const production: VariantInput = { variantName: 'prod', modelVersion: 1, weight: 100 };
const shadowOf = (modelVersion: number, samplingPercent = 100, variantName = 'shadow'): VariantInput => ({
  variantName,
  modelVersion,
  weight: 0,
  role: 'shadow',
  samplingPercent,
});

describe('shadow variants: sampled copies of production traffic, answers dropped, compared with production', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
    for (const bytes of [addModel(2), slowModelBytes(SLOW_MATMULS), failingModelBytes()]) {
      const res = await t.fetch('/api/v1/models/adder/versions', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      });
      if (res.status !== 201) throw new Error(`upload: ${await res.text()}`);
    }
  }, 120_000);
  afterAll(() => t?.close());

  const setVariants = (variants: VariantInput[], deployment = 'adder') =>
    t.fetch(`/api/v1/deployments/${deployment}/variants`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ variants }),
    });
  const serve = async (variants: VariantInput[], deployment = 'adder') => {
    const res = await setVariants(variants, deployment);
    if (res.status !== 200) throw new Error(`PUT variants: ${res.status} ${await res.text()}`);
    return (await res.json()) as Deployment;
  };
  const report = async (deployment = 'adder'): Promise<ShadowReport[]> => {
    const res = await t.fetch(`/api/v1/deployments/${deployment}/shadows`);
    expect(res.status).toBe(200);
    return shadowReportListSchema.parse(await res.json()).data;
  };
  const shadowReport = async (variant = 'shadow', deployment = 'adder') => {
    const found = (await report(deployment)).find((r) => r.variant === variant);
    if (!found) throw new Error(`no report for shadow '${variant}'`);
    return found;
  };
  /** Polls the report until every copy sent was answered (compared, or failed) and `done` holds. */
  const settled = async (done: (r: ShadowReport) => boolean, variant = 'shadow', deployment = 'adder') => {
    const until = Date.now() + 20_000;
    let r = await shadowReport(variant, deployment);
    while (!(finished(r) && done(r))) {
      if (Date.now() > until) throw new Error(`shadow '${variant}' never settled: ${JSON.stringify(r)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      r = await shadowReport(variant, deployment);
    }
    return r;
  };
  /** Copies answered: compared, failed, or answered while production's answer was no answer. */
  const finished = (r: ShadowReport) => r.latencyP50 !== null && r.compared + r.errors >= r.sent;
  const infer = async (headers: Record<string, string> = {}, path = '/v2/models/adder/infer') => {
    const res = await t.fetch(path, {
      method: 'POST',
      headers: { ...json, ...headers },
      body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
    });
    const body = (await res.json()) as { outputs?: { data: number[] }[]; error?: string };
    return {
      status: res.status,
      variant: res.headers.get('x-modelport-variant'),
      added: body.outputs?.[0]?.data[0],
    };
  };
  /** `n` inferences, `concurrency` at a time. */
  const inferMany = async (n: number, concurrency = 16) => {
    const answers: Awaited<ReturnType<typeof infer>>[] = [];
    for (let i = 0; i < n; i += concurrency) {
      answers.push(
        ...(await Promise.all(Array.from({ length: Math.min(concurrency, n - i) }, () => infer()))),
      );
    }
    return answers;
  };
  const metric = async (line: string) => {
    const text = await (await t.fetch('/metrics')).text();
    const found = text.split('\n').find((l) => l.startsWith(line));
    return found === undefined ? undefined : Number(found.slice(line.length).trim());
  };

  it('answers every request from production while a shadow of v2 gets a copy of each; outputs differ by 1', async () => {
    const d = await serve([production, shadowOf(2)]);
    expect(d.variants.map((v) => [v.variantName, v.role, v.weight, v.samplingPercent])).toEqual([
      ['prod', 'production', 100, null],
      ['shadow', 'shadow', 0, 100],
    ]);
    const answers = await inferMany(200);
    expect(answers.every((a) => a.status === 200 && a.variant === 'prod' && a.added === 1)).toBe(true);
    const r = await settled((s) => s.compared === 200);
    expect(r).toMatchObject({ samplingPercent: 100, sent: 200, dropped: 0, errors: 0, compared: 200 });
    expect(r.identical).toBe(0);
    expect(r.meanAbsDiff).toBeCloseTo(1, 6);
    for (const value of [r.latencyP50, r.latencyP95, r.productionLatencyP50, r.productionLatencyP95])
      expect(value).toBeGreaterThan(0);
    const labels = 'deployment="adder",variant="shadow"';
    expect(await metric(`modelport_shadow_requests_total{${labels},outcome="sent"}`)).toBe(200);
    expect(await metric(`modelport_shadow_output_identical_total{${labels}}`)).toBeUndefined();
  }, 60_000);

  it('reaches a shadow only by name: x-modelport-target-variant answers from it, a version in the path does not', async () => {
    expect(await infer({ 'x-modelport-target-variant': 'shadow' })).toEqual({
      status: 200,
      variant: 'shadow',
      added: 2,
    });
    // Only the shadow serves v2: the path's version names production variants.
    expect((await infer({}, '/v2/models/adder/versions/2/infer')).status).toBe(404);
    expect(await infer({}, '/v2/models/adder/versions/1/infer')).toMatchObject({
      status: 200,
      variant: 'prod',
    });
  });

  it('finds a shadow of the same version identical on every copy, binary and shared-memory sized requests included', async () => {
    await serve([production, shadowOf(1, 100, 'same')]);
    expect((await report()).map((r) => r.variant)).toEqual(['same']);
    await inferMany(50);
    // 5,000 rows × 4 FP32 = 80 KB of input: production's travels through shared memory, the copy's through the socket.
    const rows = 5000;
    const data = Float32Array.from({ length: rows * 4 }, (_, i) => i / 7);
    const encoded = encodeInferRequest(
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [rows, 4], data }] },
      {
        binary: true,
      },
    );
    const big = await t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(encoded.headerLength),
      },
      body: encoded.body,
    });
    expect(big.status).toBe(200);
    await big.arrayBuffer();
    const r = await settled((s) => s.compared === 51, 'same');
    expect(r).toMatchObject({ sent: 51, dropped: 0, errors: 0, compared: 51, identical: 51, meanAbsDiff: 0 });
  }, 60_000);

  it('copies about samplingPercent of the requests, and a revision changing the sampling starts the figures anew', async () => {
    await serve([production, shadowOf(1, 25, 'same')]);
    expect(await shadowReport('same')).toMatchObject({ samplingPercent: 25, sent: 0, compared: 0 });
    await inferMany(400);
    const r = await settled(() => true, 'same');
    // Binomial(400, 0.25): mean 100, standard deviation ~8.7.
    expect(Math.abs(r.sent - 100)).toBeLessThanOrEqual(40);
    expect(r.identical).toBe(r.compared);
  }, 60_000);

  it('drops copies past the bound while a slow shadow lags a burst; production answers all of it without waiting', async () => {
    await serve([production, shadowOf(SLOW)]);
    const burst = 300;
    const answers = await Promise.all(Array.from({ length: burst }, () => infer()));
    // Read at once when the burst's last answer arrived: the shadow (~35 ms a copy) is far behind.
    const atBurstEnd = await shadowReport();
    expect(answers.every((a) => a.status === 200 && a.variant === 'prod')).toBe(true);
    expect(atBurstEnd.sent + atBurstEnd.dropped).toBe(burst);
    expect(atBurstEnd.dropped).toBeGreaterThan(0);
    // Bounded: at most min(maxQueueSize, 64) copies in flight, so at most that many were still unanswered.
    expect(atBurstEnd.sent - atBurstEnd.compared - atBurstEnd.errors).toBeGreaterThan(0);
    expect(atBurstEnd.sent - atBurstEnd.compared - atBurstEnd.errors).toBeLessThanOrEqual(64);
    const r = await settled((s) => s.compared === s.sent);
    expect(r.errors).toBe(0);
    expect(r.identical).toBe(r.compared);
    expect(r.latencyP95).toBeGreaterThan(r.productionLatencyP95 ?? Number.POSITIVE_INFINITY);
    expect(
      await metric('modelport_shadow_requests_total{deployment="adder",variant="shadow",outcome="dropped"}'),
    ).toBe(r.dropped);
  }, 60_000);

  it('counts a failing shadow’s errors while production answers every request', async () => {
    await serve([production, shadowOf(FAILING)]);
    const answers = await inferMany(40);
    expect(answers.every((a) => a.status === 200 && a.added === 1)).toBe(true);
    const r = await settled((s) => s.errors === 40);
    expect(r).toMatchObject({ sent: 40, errors: 40, compared: 0, identical: 0, meanAbsDiff: null });
    expect(
      await metric('modelport_shadow_requests_total{deployment="adder",variant="shadow",outcome="error"}'),
    ).toBeGreaterThanOrEqual(40);
  }, 60_000);

  it('mirrors task predict requests and compares their JSON answers', async () => {
    await serve(
      [production, shadowOf(1, 100, 'iris-shadow')].map((v) => ({ ...v, modelVersion: 1 })),
      'iris',
    );
    const row = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
    for (let i = 0; i < 10; i++) {
      const res = await t.fetch('/api/v1/predict/iris', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ rows: [row] }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-modelport-variant')).toBe('prod');
    }
    const r = await settled((s) => s.compared === 10, 'iris-shadow', 'iris');
    expect(r).toMatchObject({ sent: 10, errors: 0, compared: 10, identical: 10, meanAbsDiff: null });
  }, 60_000);

  it.each([
    ['samplingPercent 0', { samplingPercent: 0 }, 'validation_failed'],
    ['samplingPercent 101', { samplingPercent: 101 }, 'validation_failed'],
    ['a weight above 0', { weight: 10 }, 'invalid_variants'],
    ['no samplingPercent', { samplingPercent: undefined }, 'invalid_variants'],
  ] as const)('refuses a shadow with %s (400 %s)', async (_what, change, code) => {
    const res = await setVariants([production, { ...shadowOf(2), ...change }]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('answers 404 for the shadows of an unknown deployment', async () => {
    const res = await t.fetch('/api/v1/deployments/nope/shadows');
    expect(res.status).toBe(404);
  });
});
