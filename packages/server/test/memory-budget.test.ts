import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNNER_OVERHEAD_BYTES } from '../src/engine/instance-memory.js';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { alive, until } from './support/processes.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const MIB = 1024 * 1024;
/** Room for one tiny ONNX runner (about 140 MiB resident), not for two. */
const BUDGET_BYTES = 200 * MIB;
const json = { 'content-type': 'application/json' };
/** A request to `a` waits this long for memory before its 503. */
const A_TIMEOUT_MS = 3_000;
/** How long a lone request to `slow` stays in flight (its batcher's queue delay), longer than that. */
const SLOW_HOLD_MS = 6_000;

interface DeploymentView {
  name: string;
  status: string;
  ready: boolean;
  instances: { pid: number | null; outstanding: number; memoryBytes: number }[];
}

function infer(t: TestServer, model: string): Promise<Response> {
  return t.fetch(`/v2/models/${model}/infer`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
  });
}

async function deployment(t: TestServer, name: string): Promise<DeploymentView> {
  const res = await t.fetch(`/api/v1/deployments/${name}`);
  expect(res.status).toBe(200);
  return (await res.json()) as DeploymentView;
}

async function metric(t: TestServer, line: string): Promise<number | undefined> {
  const text = await (await t.fetch('/metrics')).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('memory budget', () => {
  let t: TestServer;
  let firstPidOfA = 0;
  beforeAll(async () => {
    t = await startTestServer({ env: { MODELPORT_MEMORY_BUDGET_BYTES: String(BUDGET_BYTES) } });
  }, 60_000);
  afterAll(() => t.close());

  it('unloads the idle deployment A when deploying B would exceed the budget', async () => {
    await deployModel(t, { name: 'a', bytes: addModel(1) }, { timeoutMs: A_TIMEOUT_MS });
    const a = await deployment(t, 'a');
    expect(a).toMatchObject({ status: 'ready', ready: true });
    firstPidOfA = a.instances[0]?.pid ?? 0;
    expect(a.instances[0]?.memoryBytes).toBeGreaterThan(RUNNER_OVERHEAD_BYTES / 2);

    await deployModel(t, { name: 'b', bytes: addModel(2) });
    expect(await deployment(t, 'b')).toMatchObject({ status: 'ready', ready: true });
    expect(await deployment(t, 'a')).toMatchObject({ status: 'unloaded', ready: false, instances: [] });
    expect(await until(() => !alive(firstPidOfA), 5_000)).toBe(true);
    const listed = (await (await t.fetch('/api/v1/deployments')).json()) as { data: DeploymentView[] };
    expect(listed.data.map((d) => [d.name, d.status])).toEqual([
      ['a', 'unloaded'],
      ['b', 'ready'],
    ]);
    expect(await metric(t, 'modelport_memory_evictions_total{model="a"}')).toBe(1);
    expect(await metric(t, 'modelport_memory_budget_bytes')).toBe(BUDGET_BYTES);
  }, 60_000);

  it('loads A again for a request (unloading idle B) and answers it', async () => {
    const res = await infer(t, 'a');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data).toEqual([1, 1, 1, 1]);
    const a = await deployment(t, 'a');
    expect(a).toMatchObject({ status: 'ready' });
    expect(a.instances[0]?.pid).not.toBe(firstPidOfA);
    expect(await deployment(t, 'b')).toMatchObject({ status: 'unloaded', instances: [] });
    const text = await (await t.fetch('/metrics')).text();
    expect(text).toMatch(/modelport_instance_memory_bytes\{model="a",version="1",instance="0"\} [1-9]\d+/);
  }, 60_000);

  it('reports an unloaded deployment not ready without loading it', async () => {
    const ready = await t.fetch('/v2/models/b/ready');
    expect(ready.status).toBe(400);
    expect(await ready.json()).toEqual({ name: 'b', ready: false });
    expect((await deployment(t, 'b')).status).toBe('unloaded');
  });

  it('shares one load among concurrent requests to an unloaded deployment', async () => {
    const pending = Promise.all([infer(t, 'b'), infer(t, 'b'), infer(t, 'b')]);
    // The runner takes a few hundred milliseconds to start: meanwhile B is loading and not ready.
    expect(await until(async () => (await deployment(t, 'b')).status === 'loading', 5_000)).toBe(true);
    expect((await t.fetch('/v2/models/b/ready')).status).toBe(400);
    const answers = await pending;
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const b = await deployment(t, 'b');
    expect(b.status).toBe('ready');
    expect(b.instances).toHaveLength(1);
    // One load of B unloaded A once more, not once per request.
    expect(await metric(t, 'modelport_memory_evictions_total{model="a"}')).toBe(2);
    expect(await metric(t, 'modelport_memory_evictions_total{model="b"}')).toBe(1);
  }, 60_000);

  it('never unloads an instance with a request in flight: a request waits up to its timeout, then 503', async () => {
    // A lone request waits out maxQueueDelayMs in the runner's batcher: in flight for SLOW_HOLD_MS.
    await deployModel(
      t,
      { name: 'slow', bytes: addModel(3) },
      { batching: { maxBatchSize: 8, maxQueueDelayMs: SLOW_HOLD_MS } },
    );
    const slowPid = (await deployment(t, 'slow')).instances[0]?.pid ?? 0;
    const pending = infer(t, 'slow');
    expect(
      await until(async () => (await deployment(t, 'slow')).instances[0]?.outstanding === 1, 2_000),
    ).toBe(true);

    const asked = performance.now();
    const reload = await infer(t, 'a');
    expect(performance.now() - asked).toBeGreaterThanOrEqual(A_TIMEOUT_MS - 50);
    expect(reload.status).toBe(503);
    expect(reload.headers.get('retry-after')).toBe('1');
    expect(((await reload.json()) as { error: string }).error).toMatch(
      /needs \d+ bytes; \d+ bytes of the memory budget/,
    );
    // Nobody waits for a any more: its load gives up (within a recheck) and a is unloaded again.
    expect(await until(async () => (await deployment(t, 'a')).status === 'unloaded', 2_000)).toBe(true);

    await t.fetch('/api/v1/models', { method: 'POST', headers: json, body: JSON.stringify({ name: 'c' }) });
    await t.fetch('/api/v1/models/c/versions', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: addModel(4),
    });
    const create = await t.fetch('/api/v1/deployments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'c' }),
    });
    expect(create.status).toBe(503);
    expect(((await create.json()) as { error: { code: string } }).error.code).toBe('memory_budget_busy');
    expect((await t.fetch('/api/v1/deployments/c')).status).toBe(404);

    expect(alive(slowPid)).toBe(true);
    expect((await pending).status).toBe(200);
    expect(await deployment(t, 'slow')).toMatchObject({ status: 'ready' });
    expect((await deployment(t, 'a')).status).toBe('unloaded');
  }, 60_000);

  it('refuses a deployment bigger than the whole budget with 507, unloading nothing', async () => {
    const create = await t.fetch('/api/v1/deployments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'c', instances: 2 }),
    });
    expect(create.status).toBe(507);
    const { error } = (await create.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('memory_budget_exceeded');
    expect(error.message).toContain(`more than the whole memory budget of ${BUDGET_BYTES} bytes`);
    expect((await t.fetch('/api/v1/deployments/c')).status).toBe(404);
    expect((await deployment(t, 'slow')).status).toBe('ready');

    const scale = await t.fetch('/api/v1/deployments/slow', {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ instances: 2 }),
    });
    expect(scale.status).toBe(507);
    const slow = await deployment(t, 'slow');
    expect(slow.status).toBe('ready');
    expect(slow.instances).toHaveLength(1);
    expect((await infer(t, 'slow')).status).toBe(200);
  }, 60_000);

  it('swaps a deployment that fits the budget only once: its old pool is not counted', async () => {
    const oldPid = (await deployment(t, 'slow')).instances[0]?.pid ?? 0;
    const swap = await t.fetch('/api/v1/deployments/slow', {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ instances: 1 }),
    });
    expect(swap.status).toBe(200);
    const slow = (await swap.json()) as DeploymentView;
    expect(slow.status).toBe('ready');
    expect(slow.instances[0]?.pid).not.toBe(oldPid);
    expect(await until(() => !alive(oldPid), 5_000)).toBe(true);
  }, 60_000);

  it('a request to an unloaded deployment waits for a busy instance to go idle, then loads', async () => {
    const done: string[] = [];
    const slowPid = (await deployment(t, 'slow')).instances[0]?.pid ?? 0;
    const pending = infer(t, 'slow').then((r) => {
      done.push('slow');
      return r;
    });
    expect(
      await until(async () => (await deployment(t, 'slow')).instances[0]?.outstanding === 1, 2_000),
    ).toBe(true);
    // b's timeout (30 s by default) outlasts slow's request: b waits instead of failing.
    const waiting = infer(t, 'b').then((r) => {
      done.push('b');
      return r;
    });
    expect(await until(async () => (await deployment(t, 'b')).status === 'loading', 2_000)).toBe(true);
    const [slowAnswer, bAnswer] = await Promise.all([pending, waiting]);
    expect([slowAnswer.status, bAnswer.status]).toEqual([200, 200]);
    expect(done).toEqual(['slow', 'b']);
    expect(((await bAnswer.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data).toEqual([
      2, 2, 2, 2,
    ]);
    expect(await deployment(t, 'b')).toMatchObject({ status: 'ready' });
    expect(await deployment(t, 'slow')).toMatchObject({ status: 'unloaded', instances: [] });
    expect(await until(() => !alive(slowPid), 5_000)).toBe(true);
  }, 60_000);
});

describe('memory budget at restart', () => {
  it('restores deployments while they fit and leaves the rest unloaded until a request', async () => {
    const env = { MODELPORT_MEMORY_BUDGET_BYTES: String(BUDGET_BYTES) };
    const first = await startTestServer({ env });
    await deployModel(first, { name: 'a', bytes: addModel(1) });
    await deployModel(first, { name: 'b', bytes: addModel(2) });
    await first.server.close();

    const again = await startTestServer({ env, dataDir: first.dataDir, adminKey: first.adminKey });
    try {
      const listed = (await (await again.fetch('/api/v1/deployments')).json()) as { data: DeploymentView[] };
      const statuses = listed.data.map((d) => d.status).sort();
      expect(statuses).toEqual(['ready', 'unloaded']);
      const unloaded = listed.data.find((d) => d.status === 'unloaded')?.name ?? '';
      expect((await infer(again, unloaded)).status).toBe(200);
      expect((await deployment(again, unloaded)).status).toBe('ready');
    } finally {
      await again.close();
    }
  }, 60_000);
});

describe('on-demand load deadline', () => {
  it('answers 503 when a load outlasts the request timeout, and the load still completes', async () => {
    const t = await startTestServer({ env: { MODELPORT_MEMORY_BUDGET_BYTES: String(BUDGET_BYTES) } });
    try {
      // A runner takes hundreds of milliseconds to start; inference of the adder takes about one.
      await deployModel(t, { name: 'cold', bytes: addModel(5) }, { timeoutMs: 50 });
      await deployModel(t, { name: 'warm', bytes: addModel(6) });
      expect((await deployment(t, 'cold')).status).toBe('unloaded');

      const early = await infer(t, 'cold');
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('1');
      expect(((await early.json()) as { error: string }).error).toContain('still loading');

      expect(await until(async () => (await deployment(t, 'cold')).status === 'ready', 15_000)).toBe(true);
      const pid = (await deployment(t, 'cold')).instances[0]?.pid;
      const res = await infer(t, 'cold');
      expect(res.status).toBe(200);
      expect(((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data).toEqual([
        5, 5, 5, 5,
      ]);
      expect((await deployment(t, 'cold')).instances[0]?.pid).toBe(pid);
      expect((await deployment(t, 'warm')).status).toBe('unloaded');
    } finally {
      await t.close();
    }
  }, 60_000);
});
