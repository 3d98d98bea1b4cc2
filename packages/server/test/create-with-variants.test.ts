import type { Deployment, Revision, ShadowReport } from '@modelport/contracts';
import { shadowReportListSchema } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRunnerHosts, type RunnerHost, type RunnerHostFactory } from '../src/engine/index.js';
import { buildOnnxModel } from '../src/formats/index.js';
import { addModel } from './support/artifacts.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

/** Passes the upload's checks (a valid ONNX file) but onnxruntime cannot load it: no such operator. */
function unloadableModel(): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape: ['batch', 4] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: ['batch', 4] }],
    nodes: [{ opType: 'NoSuchOperator', inputs: ['x'], outputs: ['y'] }],
  });
}

/** Every runner host the engine makes, so a test can tell whether a refused create started any. */
function countingHosts(): { factory: RunnerHostFactory; hosts: RunnerHost[] } {
  const local = localRunnerHosts();
  const hosts: RunnerHost[] = [];
  return {
    hosts,
    factory: (request) => {
      const host = local(request);
      hosts.push(host);
      return host;
    },
  };
}

interface VariantInput {
  variantName: string;
  modelVersion: number | string;
  weight: number;
  instances?: number;
  role?: 'production' | 'shadow';
  samplingPercent?: number;
}

describe('POST /api/v1/deployments with variants (ONNX adders: v1 adds 1, v2 adds 2, v3 cannot load)', () => {
  let t: TestServer;
  const runners = countingHosts();
  beforeAll(async () => {
    t = await startTestServer({ runnerHosts: runners.factory });
    const model = await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'adder' }),
    });
    if (model.status !== 201) throw new Error(`create model: ${await model.text()}`);
    for (const bytes of [addModel(1), addModel(2), unloadableModel()]) {
      const res = await t.fetch('/api/v1/models/adder/versions', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      });
      if (res.status !== 201) throw new Error(`upload: ${await res.text()}`);
    }
  }, 120_000);
  afterAll(() => t?.close());

  const create = (body: Record<string, unknown>) =>
    t.fetch('/api/v1/deployments', { method: 'POST', headers: json, body: JSON.stringify(body) });
  const getJson = async <T>(pathname: string): Promise<T> => {
    const res = await t.fetch(pathname);
    expect(res.status, pathname).toBe(200);
    return (await res.json()) as T;
  };
  /** The deployments stored, and the revision each serves. */
  const stored = async () =>
    (await getJson<{ data: Deployment[] }>('/api/v1/deployments')).data.map((d) => [d.name, d.revision]);
  /** One OIP inference; answers the variant, the revision and what was added to 0. */
  const infer = async (deployment: string, headers: Record<string, string> = {}) => {
    const res = await t.fetch(`/v2/models/${deployment}/infer`, {
      method: 'POST',
      headers: { ...json, ...headers },
      body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
    });
    const body = (await res.json()) as { outputs?: { data: number[] }[] };
    return {
      status: res.status,
      variant: res.headers.get('x-modelport-variant'),
      revision: res.headers.get('x-modelport-revision'),
      added: body.outputs?.[0]?.data[0],
    };
  };
  /** `n` inferences, 16 at a time. */
  const inferMany = async (deployment: string, n: number, headers: Record<string, string> = {}) => {
    const answers: Awaited<ReturnType<typeof infer>>[] = [];
    for (let i = 0; i < n; i += 16) {
      const batch = Array.from({ length: Math.min(16, n - i) }, () => infer(deployment, headers));
      answers.push(...(await Promise.all(batch)));
    }
    return answers;
  };

  it('creates revision 1 of two weighted variants, each with its own pool; traffic reaches both', async () => {
    const res = await create({
      model: 'adder',
      threads: 1,
      instances: 3,
      variants: [
        { variantName: 'stable', modelVersion: 1, weight: 70 },
        { variantName: 'canary', modelVersion: 2, weight: 30 },
      ],
    });
    expect(res.status).toBe(201);
    const d = (await res.json()) as Deployment;
    expect(d.name).toBe('adder');
    expect(d.revision).toBe(1);
    expect(d.variants.map((v) => [v.variantName, v.modelVersion, v.instances, v.weight, v.role])).toEqual([
      ['stable', 1, 1, 70, 'production'],
      ['canary', 2, 1, 30, 'production'],
    ]);
    // The summary is the heaviest production variant's; each variant's instances sized its pool.
    expect([d.version, d.settings.instances, d.settings.threads]).toEqual([1, 1, 1]);
    expect(d.instances.map((i) => [i.variant, i.version]).sort()).toEqual([
      ['canary', 2],
      ['stable', 1],
    ]);
    const revisions = (await getJson<{ data: Revision[] }>('/api/v1/deployments/adder/revisions')).data;
    expect(revisions.map((r) => [r.revision, r.variants.map((v) => v.variantName)])).toEqual([
      [1, ['stable', 'canary']],
    ]);

    const answers = await inferMany('adder', 400);
    expect(answers.every((a) => a.status === 200 && a.revision === '1')).toBe(true);
    expect(answers.every((a) => a.added === (a.variant === 'canary' ? 2 : 1))).toBe(true);
    expect(new Set(answers.map((a) => a.variant))).toEqual(new Set(['stable', 'canary']));
    // 30% expected; 15–45% is more than six standard deviations either side over 400 requests.
    const canaryShare = answers.filter((a) => a.variant === 'canary').length / answers.length;
    expect(canaryShare).toBeGreaterThan(0.15);
    expect(canaryShare).toBeLessThan(0.45);
  }, 60_000);

  it('sends a request naming a variant in x-modelport-target-variant to that variant', async () => {
    for (const [variant, added] of [
      ['stable', 1],
      ['canary', 2],
    ] as const) {
      const answers = await inferMany('adder', 20, { 'x-modelport-target-variant': variant });
      expect(answers.every((a) => a.status === 200 && a.variant === variant && a.added === added)).toBe(true);
    }
  });

  const good: VariantInput = { variantName: 'a', modelVersion: 1, weight: 1 };
  it.each([
    [
      'two variants of one name',
      { variants: [good, { ...good, modelVersion: 2 }] },
      400,
      'invalid_variants',
      "Two variants are named 'a'",
    ],
    [
      'every weight 0',
      {
        variants: [
          { ...good, weight: 0 },
          { ...good, variantName: 'b', weight: 0 },
        ],
      },
      400,
      'invalid_variants',
      'weight above 0',
    ],
    [
      'no production variant',
      { variants: [{ ...good, weight: 0, role: 'shadow', samplingPercent: 10 }] },
      400,
      'invalid_variants',
      'needs a production variant',
    ],
    [
      'a shadow with a weight',
      { variants: [good, { ...good, variantName: 's', role: 'shadow', samplingPercent: 10 }] },
      400,
      'invalid_variants',
      'its weight must be 0',
    ],
    [
      'a version beside variants',
      { version: 1, variants: [good] },
      400,
      'validation_failed',
      'version cannot be given with variants',
    ],
    ['a negative weight', { variants: [{ ...good, weight: -1 }] }, 400, 'validation_failed', 'weight'],
    [
      'an unknown version beside a good one',
      { variants: [good, { ...good, variantName: 'b', modelVersion: 99 }] },
      404,
      'version_not_found',
      '99',
    ],
    [
      'an unknown alias',
      { variants: [{ ...good, modelVersion: 'nightly' }] },
      404,
      'alias_not_found',
      'nightly',
    ],
  ] as const)(
    'refuses %s, creating nothing and starting no runner',
    async (_what, fields, status, code, says) => {
      const before = await stored();
      const started = runners.hosts.length;
      const res = await create({ model: 'adder', name: 'ghost', ...fields });
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect([res.status, body.error.code]).toEqual([status, code]);
      expect(body.error.message).toContain(says);
      expect((await t.fetch('/api/v1/deployments/ghost')).status).toBe(404);
      expect(await stored()).toEqual(before);
      expect(runners.hosts.length).toBe(started);
    },
  );

  it('stores nothing when one variant cannot start, and stops the pools that did', async () => {
    const before = await stored();
    const started = runners.hosts.length;
    const res = await create({
      model: 'adder',
      name: 'ghost',
      threads: 1,
      variants: [
        { variantName: 'ok', modelVersion: 1, weight: 50 },
        { variantName: 'broken', modelVersion: 3, weight: 50 },
      ],
    });
    const body = (await res.json()) as { error: { code: string } };
    expect([res.status, body.error.code]).toEqual([422, 'invalid_artifact']);
    expect((await t.fetch('/api/v1/deployments/ghost')).status).toBe(404);
    expect((await t.fetch('/api/v1/deployments/ghost/revisions')).status).toBe(404);
    expect(await stored()).toEqual(before);
    const ghostRunners = runners.hosts.slice(started);
    expect(ghostRunners.length).toBeGreaterThan(0);
    expect(ghostRunners.every((host) => host.state === 'stopped')).toBe(true);
  }, 60_000);

  it('creates a shadow beside production: production answers, the shadow gets the copies', async () => {
    const res = await create({
      model: 'adder',
      name: 'mirror',
      threads: 1,
      variants: [
        { variantName: 'shadow', modelVersion: 2, weight: 0, role: 'shadow', samplingPercent: 100 },
        { variantName: 'prod', modelVersion: 1, weight: 100 },
      ],
    });
    expect(res.status).toBe(201);
    const d = (await res.json()) as Deployment;
    expect(d.variants.map((v) => [v.variantName, v.role, v.weight, v.samplingPercent])).toEqual([
      ['shadow', 'shadow', 0, 100],
      ['prod', 'production', 100, null],
    ]);
    // The summary follows the production variant, not the first one listed.
    expect([d.revision, d.version]).toEqual([1, 1]);
    const answers = await inferMany('mirror', 20);
    expect(answers.every((a) => a.status === 200 && a.variant === 'prod' && a.added === 1)).toBe(true);
    let report: ShadowReport | undefined;
    const until = Date.now() + 20_000;
    while (!(report && report.compared >= 20) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const list = shadowReportListSchema.parse(await getJson('/api/v1/deployments/mirror/shadows'));
      report = list.data.find((r) => r.variant === 'shadow');
    }
    expect(report).toMatchObject({ sent: 20, compared: 20, identical: 0, errors: 0 });
  }, 60_000);
});
