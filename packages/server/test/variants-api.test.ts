import { readFile } from 'node:fs/promises';
import type { Deployment, Revision } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { sharedModelOrNull } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const gguf = sharedModelOrNull('stories260k/stories260K.gguf');

interface VariantInput {
  variantName: string;
  modelVersion: number | string;
  weight: number;
  instances?: number;
}

describe('deployments with variants: revisions and the traffic split (ONNX adders, v1 adds 1, v2 adds 2)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
    const v2 = await t.fetch('/api/v1/models/adder/versions', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: addModel(2),
    });
    if (v2.status !== 201) throw new Error(`upload v2: ${await v2.text()}`);
  }, 120_000);
  afterAll(() => t?.close());

  const deployment = async () => (await (await t.fetch('/api/v1/deployments/adder')).json()) as Deployment;
  const revisions = async () =>
    ((await (await t.fetch('/api/v1/deployments/adder/revisions')).json()) as { data: Revision[] }).data;
  const setVariants = (variants: VariantInput[]) =>
    t.fetch('/api/v1/deployments/adder/variants', {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ variants }),
    });
  /** One OIP inference; answers the variant, the revision and what was added to 0. */
  const infer = async (headers: Record<string, string> = {}) => {
    const res = await t.fetch('/v2/models/adder/infer', {
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
  const inferMany = async (n: number, headers: (i: number) => Record<string, string> = () => ({})) => {
    const answers: Awaited<ReturnType<typeof infer>>[] = [];
    for (let i = 0; i < n; i += 16) {
      const batch = Array.from({ length: Math.min(16, n - i) }, (_, k) => infer(headers(i + k)));
      answers.push(...(await Promise.all(batch)));
    }
    return answers;
  };

  it('shows a deployment made with the single-version API as revision 1 with one variant `default`', async () => {
    const d = await deployment();
    expect(d.version).toBe(1);
    expect(d.revision).toBe(1);
    expect(d.variants).toEqual([
      {
        variantName: 'default',
        modelVersion: 1,
        instances: 1,
        weight: 100,
        role: 'production',
        samplingPercent: null,
      },
    ]);
    expect(d.instances.map((i) => i.variant)).toEqual(['default']);
    expect((await revisions()).map((r) => r.revision)).toEqual([1]);
    expect(await infer()).toEqual({ status: 200, variant: 'default', revision: '1', added: 1 });
  });

  it('makes revision 2 from two variants and splits traffic by their weights (±3 points over 2,000 requests)', async () => {
    const res = await setVariants([
      { variantName: 'stable', modelVersion: 1, weight: 70 },
      { variantName: 'canary', modelVersion: 2, weight: 30 },
    ]);
    expect(res.status).toBe(200);
    const d = (await res.json()) as Deployment;
    expect(d.revision).toBe(2);
    expect(d.variants.map((v) => [v.variantName, v.modelVersion, v.weight])).toEqual([
      ['stable', 1, 70],
      ['canary', 2, 30],
    ]);
    expect((await revisions()).map((r) => r.revision)).toEqual([1, 2]);
    const answers = await inferMany(2000);
    expect(answers.every((a) => a.status === 200 && a.revision === '2')).toBe(true);
    // Each variant answers with its own version.
    expect(answers.every((a) => a.added === (a.variant === 'canary' ? 2 : 1))).toBe(true);
    const canaryShare = (100 * answers.filter((a) => a.variant === 'canary').length) / answers.length;
    expect(Math.abs(canaryShare - 30)).toBeLessThanOrEqual(3);
  }, 120_000);

  it('sends a request to the variant it names, even one of weight 0; an unknown name is 400 unknown_variant', async () => {
    expect(
      (
        await setVariants([
          { variantName: 'stable', modelVersion: 1, weight: 100 },
          { variantName: 'canary', modelVersion: 2, weight: 0 },
        ])
      ).status,
    ).toBe(200);
    const plain = await inferMany(50);
    expect(plain.every((a) => a.variant === 'stable')).toBe(true);
    const targeted = await inferMany(20, () => ({ 'x-modelport-target-variant': 'canary' }));
    expect(targeted.every((a) => a.variant === 'canary' && a.added === 2 && a.revision === '3')).toBe(true);
    const unknown = await infer({ 'x-modelport-target-variant': 'nope' });
    expect(unknown.status).toBe(400);
    const predict = await t.fetch('/api/v1/predict/iris', {
      method: 'POST',
      headers: { ...json, 'x-modelport-target-variant': 'nope' },
      body: JSON.stringify({
        rows: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }],
      }),
    });
    expect(predict.status).toBe(400);
    expect(((await predict.json()) as { error: { code: string } }).error.code).toBe('unknown_variant');
  });

  it('keeps a session on its variant, and raising B from 10 to 50 moves no session from B to A', async () => {
    await setVariants([
      { variantName: 'A', modelVersion: 1, weight: 90 },
      { variantName: 'B', modelVersion: 2, weight: 10 },
    ]);
    for (const session of ['s-1', 's-2', 's-3']) {
      const answers = await inferMany(50, () => ({ 'x-modelport-session': session }));
      expect(new Set(answers.map((a) => a.variant)).size).toBe(1);
    }
    const sessions = Array.from({ length: 400 }, (_, i) => `user-${i}`);
    const before = await inferMany(sessions.length, (i) => ({ 'x-modelport-session': sessions[i] ?? '' }));
    await setVariants([
      { variantName: 'A', modelVersion: 1, weight: 50 },
      { variantName: 'B', modelVersion: 2, weight: 50 },
    ]);
    const after = await inferMany(sessions.length, (i) => ({ 'x-modelport-session': sessions[i] ?? '' }));
    const onB = before.filter((a) => a.variant === 'B').length;
    expect(onB).toBeGreaterThan(10);
    expect(before.some((a, i) => a.variant === 'B' && after[i]?.variant === 'A')).toBe(false);
    // Some sessions must move to B for it to reach half; none needs to move the other way.
    const moved = before.filter((a, i) => a.variant === 'A' && after[i]?.variant === 'B').length;
    expect(moved).toBeGreaterThan(80);
  }, 120_000);

  it.each([
    ['a negative weight', [{ variantName: 'A', modelVersion: 1, weight: -1 }], 'validation_failed'],
    [
      'every weight 0',
      [
        { variantName: 'A', modelVersion: 1, weight: 0 },
        { variantName: 'B', modelVersion: 2, weight: 0 },
      ],
      'invalid_variants',
    ],
    ['an unknown version', [{ variantName: 'A', modelVersion: 99, weight: 1 }], 'version_not_found'],
    [
      'two variants of one name',
      [
        { variantName: 'A', modelVersion: 1, weight: 1 },
        { variantName: 'A', modelVersion: 2, weight: 1 },
      ],
      'invalid_variants',
    ],
  ] as const)('refuses %s with a 4xx and leaves the revision as it was', async (_what, variants, code) => {
    const revisionBefore = (await deployment()).revision;
    const count = (await revisions()).length;
    const res = await setVariants([...variants]);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    expect((await deployment()).revision).toBe(revisionBefore);
    expect((await revisions()).length).toBe(count);
  });

  it('makes a new revision of a version swap through PATCH', async () => {
    await setVariants([{ variantName: 'default', modelVersion: 1, weight: 100 }]);
    const before = (await deployment()).revision;
    const res = await t.fetch('/api/v1/deployments/adder', {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ version: 2 }),
    });
    expect(res.status).toBe(200);
    const d = (await res.json()) as Deployment;
    expect([d.version, d.revision]).toEqual([2, before + 1]);
    expect(await infer()).toMatchObject({ variant: 'default', revision: String(before + 1), added: 2 });
  });

  it('names the variant and revision on task API answers', async () => {
    const res = await t.fetch('/api/v1/predict/iris', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        rows: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }],
      }),
    });
    expect(res.status).toBe(200);
    expect([res.headers.get('x-modelport-variant'), res.headers.get('x-modelport-revision')]).toEqual([
      'default',
      '1',
    ]);
  });

  it.skipIf(!gguf)(
    'names the variant and revision on OpenAI chat completions (streamed or not), completions and embeddings',
    async () => {
      await deployModel(
        t,
        {
          name: 'stories',
          task: 'text-generation',
          bytes: new Uint8Array(await readFile(gguf ?? '')),
        },
        { threads: 1, llm: { parallel: 2, contextSize: 256 } },
      );
      const requests = [
        ['/v1/chat/completions', { messages: [{ role: 'user', content: 'Hi' }], stream: false }],
        ['/v1/chat/completions', { messages: [{ role: 'user', content: 'Hi' }], stream: true }],
        ['/v1/completions', { prompt: 'Once', stream: false }],
        ['/v1/embeddings', { input: 'a cat' }],
      ] as const;
      for (const [route, fields] of requests) {
        // OpenAI's `user` field is the sticky session when no x-modelport-session is sent.
        const res = await t.fetch(route, {
          method: 'POST',
          headers: { ...json, 'x-modelport-target-variant': 'default' },
          body: JSON.stringify({
            model: 'stories',
            user: 'alice',
            ...('input' in fields ? {} : { max_tokens: 4 }),
            ...fields,
          }),
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-modelport-variant')).toBe('default');
        expect(res.headers.get('x-modelport-revision')).toBe('1');
        await res.text();
      }
    },
    60_000,
  );

  it('serves the same revision and split after a restart', async () => {
    await setVariants([
      { variantName: 'A', modelVersion: 1, weight: 1 },
      { variantName: 'B', modelVersion: 2, weight: 3 },
    ]);
    const { revision } = await deployment();
    const { dataDir, adminKey } = t;
    await t.server.close();
    t = await startTestServer({ dataDir, adminKey });
    const d = await deployment();
    expect(d.revision).toBe(revision);
    expect(d.variants.map((v) => [v.variantName, v.weight])).toEqual([
      ['A', 1],
      ['B', 3],
    ]);
    expect(d.instances.map((i) => i.variant).sort()).toEqual(['A', 'B']);
    const answers = await inferMany(400);
    const onB = answers.filter((a) => a.variant === 'B' && a.added === 2).length;
    expect(answers.every((a) => a.revision === String(revision))).toBe(true);
    expect(Math.abs(onB / answers.length - 0.75)).toBeLessThan(0.08);
  }, 60_000);
});
