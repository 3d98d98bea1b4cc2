import type { Deployment, Revision, Rollout } from '@modelport/contracts';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { addModel } from './artifacts.js';
import { deployModel } from './deploy-model.js';
import { failingModelBytes, unloadableModelBytes } from './misbehaving-models.js';
import { startTestServer, type TestServer } from './test-server.js';

export const json = { 'content-type': 'application/json' };
export const terminal = new Set(['succeeded', 'failed', 'rolled_back']);

/**
 * Guardrails fast enough for a test: judged every 100 ms over the last 5 s. Few samples suffice, so
 * a loaded machine (fewer requests per bake) still decides rather than pausing as inconclusive.
 */
export const quickGuardrails = {
  intervalSeconds: 0.1,
  windowSeconds: 5,
  minSamples: 5,
  consecutiveBreaches: 2,
};

/** What a client of deployment `adder` saw for one request. */
export interface AdderAnswer {
  status: number;
  revision: number;
  added: number | undefined;
}

/**
 * The rollout tests' server, set up by the calling suite's hooks: deployment `adder` serves version
 * 1 of model `adder`, whose versions are: 1 adds 1, 2 adds 2, 3 fails on every input, 4 cannot
 * load. After each test, a rollout still running is aborted. `t` is the server once it runs.
 */
export function adderRollouts() {
  let server: TestServer | undefined;
  const t = {
    fetch: (pathname: string, init?: RequestInit & { key?: string | null }) => {
      if (!server) throw new Error('the rollout test server is not running');
      return server.fetch(pathname, init);
    },
  };

  beforeAll(async () => {
    // 1 GiB: an instance is estimated at 128 MiB and more, so 16 of them cannot fit beside revision 1.
    server = await startTestServer({ env: { MODELPORT_MEMORY_BUDGET_BYTES: String(2 ** 30) } });
    await deployModel(server, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
    for (const bytes of [addModel(2), failingModelBytes(), unloadableModelBytes()]) {
      const res = await server.fetch('/api/v1/models/adder/versions', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      });
      if (res.status !== 201) throw new Error(`upload: ${await res.text()}`);
    }
  }, 120_000);
  afterAll(() => server?.close());
  // A test that fails midway must not leave its rollout running into the next one.
  afterEach(async () => {
    const r = await t.fetch('/api/v1/deployments/adder/rollouts/current');
    if (r.status === 200 && !terminal.has(((await r.json()) as Rollout).state)) await action('abort');
  });

  const deployment = async () => (await (await t.fetch('/api/v1/deployments/adder')).json()) as Deployment;
  const revisions = async () =>
    ((await (await t.fetch('/api/v1/deployments/adder/revisions')).json()) as { data: Revision[] }).data;
  const startRollout = (body: Record<string, unknown>) =>
    t.fetch('/api/v1/deployments/adder/rollouts', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
  const current = async () =>
    (await (await t.fetch('/api/v1/deployments/adder/rollouts/current')).json()) as Rollout;
  const action = (verb: string, body: Record<string, unknown> = {}) =>
    t.fetch(`/api/v1/deployments/adder/rollouts/current/${verb}`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
  const infer = async (): Promise<AdderAnswer> => {
    const res = await t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
    });
    const body = (await res.json()) as { outputs?: { data: number[] }[] };
    return {
      status: res.status,
      revision: Number(res.headers.get('x-modelport-revision')),
      added: body.outputs?.[0]?.data[0],
    };
  };

  /** Sends requests 4 at a time until the rollout ends (or `limitMs`); answers what the clients saw. */
  async function trafficUntilDone(limitMs = 60_000) {
    const answers: AdderAnswer[] = [];
    const until = Date.now() + limitMs;
    let rollout = await current();
    while (!terminal.has(rollout.state) && rollout.state !== 'paused' && Date.now() < until) {
      answers.push(...(await Promise.all(Array.from({ length: 8 }, infer))));
      rollout = await current();
    }
    return { answers, rollout: await current() };
  }

  async function waitFor(predicate: (r: Rollout) => boolean, limitMs = 30_000): Promise<Rollout> {
    const until = Date.now() + limitMs;
    for (;;) {
      const r = await current();
      if (predicate(r) || Date.now() > until) return r;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return { t, deployment, revisions, startRollout, current, action, infer, trafficUntilDone, waitFor };
}
