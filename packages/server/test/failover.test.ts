import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { ledgerRowOf } from './support/ledger-rows.js';
import { failingModelBytes } from './support/misbehaving-models.js';
import { sseEvents } from './support/openai-test-app.js';
import { alive, until } from './support/processes.js';
import { sharedModelOrNull } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const x = [1, 2, 3, 4];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  deployment: string | null;
  fallback: string | null;
  requestId: string;
  y: number[] | undefined;
}

async function infer(t: TestServer, name: string, key?: string): Promise<Answer> {
  const res = await t.fetch(`/v2/models/${name}/infer`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: x }] }),
    ...(key ? { key } : {}),
  });
  const body = (await res.json()) as { outputs?: { data: number[] }[] };
  return {
    status: res.status,
    deployment: res.headers.get('x-modelport-deployment'),
    fallback: res.headers.get('x-modelport-fallback'),
    requestId: res.headers.get('x-request-id') ?? '',
    y: body.outputs?.[0]?.data,
  };
}

/** The sum of a metric's samples whose labels include all of `labels`. */
async function metric(t: TestServer, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await t.fetch('/metrics')).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const sample = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => sample.includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

/** Requests a deployment's runners took (answered or failed by the server). */
const reached = (t: TestServer, deployment: string) =>
  metric(t, 'modelport_variant_requests_total', { deployment });

async function deployment(t: TestServer, name: string) {
  const res = await t.fetch(`/api/v1/deployments/${name}`);
  return (await res.json()) as {
    revision: number;
    status: string;
    settings: Record<string, unknown>;
    instances: { pid: number | null; state: string }[];
  };
}

const send = (t: TestServer, method: string, path: string, body: unknown) =>
  t.fetch(path, { method, headers: json, body: JSON.stringify(body) });

describe('failover chains of tensor deployments (ONNX adders)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await deployModel(t, { name: 'backup', bytes: addModel(2) }, { threads: 1 });
    await deployModel(
      t,
      { name: 'primary', bytes: addModel(1) },
      { threads: 1, fallbacks: ['backup'], failover: { coolDownSeconds: 1 } },
    );
    await deployModel(
      t,
      { name: 'flaky', bytes: failingModelBytes() },
      { threads: 1, fallbacks: ['backup'], failover: { failureThreshold: 3, coolDownSeconds: 3 } },
    );
    await deployModel(
      t,
      { name: 'broken', bytes: failingModelBytes() },
      { threads: 1, fallbacks: ['backup'], failover: { failureThreshold: 1000 } },
    );
  }, 120_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('answers with the deployment that served, and whether it was a fallback', async () => {
    const answer = await infer(t, 'primary');
    expect(answer).toMatchObject({ status: 200, deployment: 'primary', fallback: 'false', y: [2, 3, 4, 5] });
    const direct = await infer(t, 'backup');
    expect(direct).toMatchObject({ status: 200, deployment: 'backup', fallback: 'false', y: [3, 4, 5, 6] });
    const shown = await deployment(t, 'primary');
    expect(shown.settings).toMatchObject({ fallbacks: ['backup'], failover: { coolDownSeconds: 1 } });
  });

  it('serves every request of a steady stream while the first deployment is killed', async () => {
    const [instance] = (await deployment(t, 'primary')).instances;
    const pid = instance?.pid;
    if (!pid) throw new Error('primary has no runner pid');
    const answers: Answer[] = [];
    let killedAt = -1;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        answers.push(await infer(t, 'primary'));
        if (answers.length === 40) {
          killedAt = answers.length;
          process.kill(pid, 'SIGKILL');
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    // Until the restarted runner answers again (its cool-down is 1 s).
    const back = await until(
      () => killedAt > 0 && answers.slice(killedAt + 8).some((a) => a.deployment === 'primary'),
      30_000,
    );
    stop = true;
    await Promise.all(workers);
    expect(back).toBe(true);
    expect(alive(pid)).toBe(false);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const byBackup = answers.filter((a) => a.deployment === 'backup');
    expect(byBackup.length).toBeGreaterThan(0);
    for (const a of byBackup) expect(a).toMatchObject({ fallback: 'true', y: [3, 4, 5, 6] });
    for (const a of answers.filter((a) => a.deployment === 'primary'))
      expect(a).toMatchObject({ fallback: 'false', y: [2, 3, 4, 5] });
    expect(
      await metric(t, 'modelport_failover_total', { from: 'primary', to: 'backup' }),
    ).toBeGreaterThanOrEqual(byBackup.length);
  }, 60_000);

  it('cools a failing deployment down: no request reaches it until the cool-down ends', async () => {
    // Three failures (its threshold) within the window: each request still answered, by the backup.
    for (let i = 0; i < 3; i++)
      expect(await infer(t, 'flaky')).toMatchObject({ status: 200, deployment: 'backup', fallback: 'true' });
    const cooledAt = Date.now();
    expect(await reached(t, 'flaky')).toBe(3);
    expect(await metric(t, 'modelport_failover_cool_downs_total', { deployment: 'flaky' })).toBe(1);
    expect(await metric(t, 'modelport_failover_cooled_down_deployments')).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 20; i++)
      expect(await infer(t, 'flaky')).toMatchObject({ status: 200, deployment: 'backup', fallback: 'true' });
    expect(Date.now() - cooledAt).toBeLessThan(2_500);
    expect(await reached(t, 'flaky')).toBe(3);
    expect(
      await metric(t, 'modelport_failover_total', { from: 'flaky', reason: 'cooling_down' }),
    ).toBeGreaterThanOrEqual(20);
    // After 3 s it is tried again; that probe fails, which cools it down again at once.
    await sleep(cooledAt + 3_200 - Date.now());
    expect(await infer(t, 'flaky')).toMatchObject({ status: 200, deployment: 'backup' });
    expect(await reached(t, 'flaky')).toBe(4);
    for (let i = 0; i < 5; i++) await infer(t, 'flaky');
    expect(await reached(t, 'flaky')).toBe(4);
    expect(await metric(t, 'modelport_failover_cool_downs_total', { deployment: 'flaky' })).toBe(2);
  }, 30_000);

  it('writes one ledger row per request, naming the deployment that answered', async () => {
    const byPrimary = await infer(t, 'primary');
    const byBackup = await infer(t, 'broken');
    expect(byBackup).toMatchObject({ status: 200, deployment: 'backup', fallback: 'true' });
    expect(await ledgerRowOf(t, byPrimary.requestId)).toMatchObject({
      deployment: 'primary',
      model: 'primary',
      endpoint: 'oip.infer',
      status: '200',
    });
    // ledgerRowOf throws when a request has more than one row.
    expect(await ledgerRowOf(t, byBackup.requestId)).toMatchObject({
      deployment: 'backup',
      model: 'backup',
      version: '1',
      endpoint: 'oip.infer',
      status: '200',
    });
  });

  it('applies the limits of the deployment named once per request, however many deployments it tried', async () => {
    const before = await reached(t, 'broken');
    const key = await t.mintKey({
      scopes: ['infer'],
      limits: { models: { broken: { requestsPerMinute: 2 } } },
    });
    const answers = [await infer(t, 'broken', key), await infer(t, 'broken', key)];
    expect(answers.map((a) => [a.status, a.deployment])).toEqual([
      [200, 'backup'],
      [200, 'backup'],
    ]);
    // Each of them tried `broken` first (it never cools down: threshold 1000).
    expect(await reached(t, 'broken')).toBe(before + 2);
    expect((await infer(t, 'broken', key)).status).toBe(429);
  });

  it('refuses fallbacks naming the deployment itself, twice the same, an unknown one, or a cycle', async () => {
    const before = await deployment(t, 'primary');
    const refusals = [
      await send(t, 'POST', '/api/v1/deployments', {
        model: 'primary',
        name: 'selfish',
        fallbacks: ['selfish'],
      }),
      await send(t, 'PATCH', '/api/v1/deployments/primary', { fallbacks: ['primary'] }),
      await send(t, 'PATCH', '/api/v1/deployments/primary', { fallbacks: ['backup', 'backup'] }),
      await send(t, 'PATCH', '/api/v1/deployments/primary', { fallbacks: ['nowhere'] }),
      await send(t, 'PATCH', '/api/v1/deployments/backup', { fallbacks: ['primary'] }),
    ];
    const messages: string[] = [];
    for (const res of refusals) {
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect({ status: res.status, code: body.error.code }).toEqual({
        status: 400,
        code: 'invalid_fallbacks',
      });
      messages.push(body.error.message);
    }
    expect(messages.at(-1)).toBe("Fallback 'primary' would make a cycle: backup → primary → backup.");
    expect((await t.fetch('/api/v1/deployments/selfish')).status).toBe(404);
    expect((await deployment(t, 'backup')).settings.fallbacks).toBeUndefined();
    const after = await deployment(t, 'primary');
    expect(after.settings).toEqual(before.settings);
    expect(after.revision).toBe(before.revision);
  });

  it('changes fallbacks without a new revision or a restart', async () => {
    const before = await deployment(t, 'broken');
    const res = await send(t, 'PATCH', '/api/v1/deployments/broken', { fallbacks: ['primary', 'backup'] });
    expect(res.status).toBe(200);
    const after = await deployment(t, 'broken');
    expect(after.settings.fallbacks).toEqual(['primary', 'backup']);
    expect([after.revision, after.instances.map((i) => i.pid)]).toEqual([
      before.revision,
      before.instances.map((i) => i.pid),
    ]);
    expect(await infer(t, 'broken')).toMatchObject({ status: 200, deployment: 'primary', fallback: 'true' });
    const cleared = await send(t, 'PATCH', '/api/v1/deployments/broken', { fallbacks: [] });
    expect(cleared.status).toBe(200);
    expect((await infer(t, 'broken')).status).toBeGreaterThanOrEqual(500);
  });
});

const gguf = sharedModelOrNull('stories260k/stories260K.gguf');
// Long enough for a 256-token context, short enough for 1024 (see test/llama/context-limits.test.ts).
const longText = 'Lily saw a big red ball in the park and she ran to get it. '.repeat(20);

describe.skipIf(!gguf)('failover chains of language models (stories260K)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const bytes = await readFile(gguf as string);
    const llm = { threads: 1, llm: { parallel: 2, contextSize: 1024 } };
    await deployModel(t, { name: 'tale-backup', task: 'text-generation', bytes }, llm);
    await deployModel(
      t,
      { name: 'tale', task: 'text-generation', bytes },
      {
        ...llm,
        llm: { parallel: 2, contextSize: 256 },
        fallbacks: ['tale-backup'],
        failover: { coolDownSeconds: 1 },
      },
    );
  }, 120_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  const chat = (content: string, stream: boolean) =>
    send(t, 'POST', '/v1/chat/completions', {
      model: 'tale',
      messages: [{ role: 'user', content }],
      max_tokens: 8,
      temperature: 0,
      stream,
    });

  it('streams from the first deployment while it answers', async () => {
    const res = await chat('Once upon a time', true);
    expect(res.status).toBe(200);
    expect([res.headers.get('x-modelport-deployment'), res.headers.get('x-modelport-fallback')]).toEqual([
      'tale',
      'false',
    ]);
    expect(sseEvents(await res.text()).at(-1)).toBe('[DONE]');
  });

  it('falls over to the backup for a stream whose first deployment is down, and ends with [DONE]', async () => {
    const [instance] = (await deployment(t, 'tale')).instances;
    if (!instance?.pid) throw new Error('tale has no runner pid');
    process.kill(instance.pid, 'SIGKILL');
    const res = await chat('Once upon a time', true);
    expect(res.status).toBe(200);
    expect([res.headers.get('x-modelport-deployment'), res.headers.get('x-modelport-fallback')]).toEqual([
      'tale-backup',
      'true',
    ]);
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    expect(events.length).toBeGreaterThan(2);
    const row = await ledgerRowOf(t, res.headers.get('x-request-id') as string);
    expect(row).toMatchObject({ deployment: 'tale-backup', model: 'tale-backup', endpoint: 'openai.chat' });
  }, 30_000);

  it('falls over when the prompt is longer than the first deployment’s context', async () => {
    expect(await until(async () => (await deployment(t, 'tale')).status === 'ready', 20_000)).toBe(true);
    await sleep(1_100);
    const res = await chat(longText, false);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelport-deployment')).toBe('tale-backup');
    const body = (await res.json()) as { usage: { prompt_tokens: number } };
    expect(body.usage.prompt_tokens).toBeGreaterThan(256);
    expect(
      await metric(t, 'modelport_failover_total', { from: 'tale', reason: 'context_length_exceeded' }),
    ).toBe(1);
    // Not held against it: a short prompt is still answered by `tale` itself.
    const short = await chat('Once upon a time', false);
    expect(short.headers.get('x-modelport-deployment')).toBe('tale');
  }, 30_000);

  it('refuses a fallback serving another task', async () => {
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
    const res = await send(t, 'PATCH', '/api/v1/deployments/adder', { fallbacks: ['tale'] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_fallbacks');
  });
});

describe('failover chains of the task API (the demo iris model, twice)', () => {
  let t: TestServer;
  const setosa = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    const created = await send(t, 'POST', '/api/v1/deployments', {
      model: 'iris',
      name: 'iris-b',
      threads: 1,
    });
    if (created.status !== 201) throw new Error(`iris-b: ${await created.text()}`);
    const patched = await send(t, 'PATCH', '/api/v1/deployments/iris', { fallbacks: ['iris-b'] });
    if (patched.status !== 200) throw new Error(`iris: ${await patched.text()}`);
  }, 180_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('answers a predict request from the fallback while the first deployment is down', async () => {
    const [instance] = (await deployment(t, 'iris')).instances;
    if (!instance?.pid) throw new Error('iris has no runner pid');
    process.kill(instance.pid, 'SIGKILL');
    const res = await send(t, 'POST', '/api/v1/predict/iris', { rows: [setosa] });
    expect(res.status).toBe(200);
    expect([res.headers.get('x-modelport-deployment'), res.headers.get('x-modelport-fallback')]).toEqual([
      'iris-b',
      'true',
    ]);
    const body = (await res.json()) as { predictions: { label: string }[] };
    expect(body.predictions.map((p) => p.label)).toEqual(['setosa']);
    expect(await ledgerRowOf(t, res.headers.get('x-request-id') as string)).toMatchObject({
      deployment: 'iris-b',
      model: 'iris',
      endpoint: 'predict',
      status: '200',
    });
  });
});
