import { afterEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  InvalidResponseError,
  Modelport,
  type ModelportOptions,
  RolloutWaitTimeoutError,
  type StartRolloutRequest,
} from '../src/index.js';
import { caught } from './support/caught.js';
import { deploymentBody } from './support/deployment-fixture.js';
import { type Answer, type FakeApi, inTurn, type Route, startFakeApi } from './support/fake-api.js';
import { cannedRollout, evaluation } from './support/rollout-fixture.js';

const base = '/api/v1/deployments/digits/rollouts';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function clientFor(routes: Record<string, Route | Answer>, options: Partial<ModelportOptions> = {}) {
  api = await startFakeApi(routes);
  return new Modelport({ baseUrl: api.url, apiKey: 'mp_test', ...options });
}

const sent = () => (api?.received ?? []).map((r) => ({ method: r.method, path: r.path, body: r.body }));

describe('rollouts: requests', () => {
  it('start posts the request as given and reads the 202 rollout', async () => {
    const mp = await clientFor({ [`POST ${base}`]: { status: 202, body: cannedRollout() } });
    const request: StartRolloutRequest = {
      variants: [{ variantName: 'AllTraffic', modelVersion: 2, weight: 100 }],
      strategy: { type: 'canary', percent: 10, bakeSeconds: 60 },
      guardrails: {
        rules: [
          { metric: 'error_rate', max: 0.01, maxIncrease: 0.01 },
          { metric: 'latency_p95', maxRatio: 1.2 },
        ],
      },
      onInconclusive: 'pause',
    };
    const rollout = await mp.rollouts.start('digits', request);
    expect(rollout).toEqual(cannedRollout());
    expect(sent()).toEqual([{ method: 'POST', path: base, body: request }]);
    expect(api?.received[0]?.headers).toMatchObject({
      authorization: 'Bearer mp_test',
      'content-type': 'application/json',
    });
  });

  it('list reads { data } newest first; get defaults to current and takes an id', async () => {
    const older = cannedRollout({ id: 'ro_0', state: 'succeeded', finishedAt: '2026-12-04T10:00:00.000Z' });
    const mp = await clientFor({
      [`GET ${base}`]: { body: { data: [cannedRollout(), older] } },
      [`GET ${base}/current`]: { body: cannedRollout() },
      [`GET ${base}/ro_0`]: { body: older },
    });
    expect((await mp.rollouts.list('digits')).map((r) => r.id)).toEqual(['ro_1', 'ro_0']);
    expect((await mp.rollouts.get('digits')).id).toBe('ro_1');
    expect((await mp.rollouts.get('digits', 'ro_0')).state).toBe('succeeded');
    expect(sent().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${base}`,
      `GET ${base}/current`,
      `GET ${base}/ro_0`,
    ]);
  });

  it('pause, resume and abort post {} to the current rollout or the one named', async () => {
    const answer = { body: cannedRollout({ state: 'paused', reason: 'paused' }) };
    const mp = await clientFor({
      [`POST ${base}/current/pause`]: answer,
      [`POST ${base}/current/resume`]: answer,
      [`POST ${base}/current/abort`]: answer,
      [`POST ${base}/ro_9/abort`]: answer,
    });
    await mp.rollouts.pause('digits');
    await mp.rollouts.resume('digits');
    await mp.rollouts.abort('digits');
    expect((await mp.rollouts.abort('digits', 'ro_9')).state).toBe('paused');
    expect(sent()).toEqual([
      { method: 'POST', path: `${base}/current/pause`, body: {} },
      { method: 'POST', path: `${base}/current/resume`, body: {} },
      { method: 'POST', path: `${base}/current/abort`, body: {} },
      { method: 'POST', path: `${base}/ro_9/abort`, body: {} },
    ]);
  });

  it('promote posts {} by default, { all } when asked, to the id given', async () => {
    const done = cannedRollout({ state: 'succeeded', step: 1, percent: 100 });
    const mp = await clientFor({
      [`POST ${base}/current/promote`]: { body: cannedRollout({ state: 'shifting', step: 1 }) },
      [`POST ${base}/ro_1/promote`]: { body: done },
    });
    expect((await mp.rollouts.promote('digits')).step).toBe(1);
    expect((await mp.rollouts.promote('digits', { all: true }, 'ro_1')).percent).toBe(100);
    expect(sent()).toEqual([
      { method: 'POST', path: `${base}/current/promote`, body: {} },
      { method: 'POST', path: `${base}/ro_1/promote`, body: { all: true } },
    ]);
  });

  it('escapes deployment names and ids in the path', async () => {
    const mp = await clientFor({ 'GET /api/v1/deployments/a%2Fb/rollouts/x%20y': { body: cannedRollout() } });
    expect((await mp.rollouts.get('a/b', 'x y')).id).toBe('ro_1');
  });

  it('a rollout off the contract is an InvalidResponseError', async () => {
    const mp = await clientFor({ [`GET ${base}/current`]: { body: { ...cannedRollout(), state: 'done' } } });
    expect(await caught(mp.rollouts.get('digits'))).toBeInstanceOf(InvalidResponseError);
  });

  it('a refusal keeps its code: one rollout at a time is a ConflictError', async () => {
    const refused = {
      status: 409,
      body: { error: { code: 'rollout_in_progress', message: 'ro_1 is baking', requestId: 'req_1' } },
    };
    const mp = await clientFor({ [`POST ${base}`]: refused }, { maxRetries: 0 });
    const err = await caught(mp.rollouts.start('digits', { variants: [] }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ status: 409, code: 'rollout_in_progress', requestId: 'req_1' });
  });

  it('deployments carry the rollout in progress, or null', async () => {
    const mp = await clientFor({
      'GET /api/v1/deployments/digits': { body: { ...deploymentBody(), rollout: cannedRollout() } },
      'GET /api/v1/deployments': {
        body: { data: [deploymentBody(), { ...deploymentBody(), rollout: cannedRollout() }] },
      },
    });
    expect((await mp.deployments.get('digits')).rollout?.id).toBe('ro_1');
    expect((await mp.deployments.list()).map((d) => d.rollout?.id ?? null)).toEqual([null, 'ro_1']);
  });
});

describe('rollouts.wait', () => {
  const states = (...list: Array<Parameters<typeof cannedRollout>[0]>) =>
    inTurn(...list.map((overrides) => ({ body: cannedRollout(overrides) })));

  it('reads until succeeded, following the id of the first answer, and reports every read', async () => {
    const route = states(
      { state: 'provisioning', step: -1, percent: 0 },
      { state: 'baking', lastEvaluation: evaluation() },
      { state: 'shifting', step: 1, percent: 100 },
      { state: 'succeeded', step: 1, percent: 100, finishedAt: '2026-12-05T10:02:00.000Z' },
    );
    const mp = await clientFor({ [`GET ${base}/current`]: route, [`GET ${base}/ro_1`]: route });
    const seen: string[] = [];
    const rollout = await mp.rollouts.wait('digits', { pollMs: 5, onPoll: (r) => seen.push(r.state) });
    expect(rollout.state).toBe('succeeded');
    expect(seen).toEqual(['provisioning', 'baking', 'shifting', 'succeeded']);
    expect(sent().map((r) => r.path)).toEqual([
      `${base}/current`,
      `${base}/ro_1`,
      `${base}/ro_1`,
      `${base}/ro_1`,
    ]);
  });

  it.each(['failed', 'rolled_back', 'paused'] as const)(
    'stops at %s and returns the rollout',
    async (state) => {
      const route = states(
        { state: 'baking' },
        { state, reason: 'guardrail_breach' },
        { state: 'succeeded' },
      );
      const mp = await clientFor({ [`GET ${base}/ro_1`]: route });
      const rollout = await mp.rollouts.wait('digits', { id: 'ro_1', pollMs: 5 });
      expect(rollout).toMatchObject({ state, reason: 'guardrail_breach' });
      expect(api?.received).toHaveLength(2);
    },
  );

  it('waits through a pause when `until` leaves it out', async () => {
    const route = states({ state: 'paused' }, { state: 'baking' }, { state: 'succeeded' });
    const mp = await clientFor({ [`GET ${base}/current`]: route, [`GET ${base}/ro_1`]: route });
    const rollout = await mp.rollouts.wait('digits', {
      pollMs: 5,
      until: ['succeeded', 'failed', 'rolled_back'],
    });
    expect(rollout.state).toBe('succeeded');
    expect(api?.received).toHaveLength(3);
  });

  it('gives up after timeoutMs with the last rollout read, and reads no more', async () => {
    const mp = await clientFor({
      [`GET ${base}/current`]: { body: cannedRollout() },
      [`GET ${base}/ro_1`]: { body: cannedRollout() },
    });
    const started = Date.now();
    const err = await caught(mp.rollouts.wait('digits', { pollMs: 20, timeoutMs: 150 }));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(err).toBeInstanceOf(RolloutWaitTimeoutError);
    expect(err).toMatchObject({ code: 'wait_timeout', rollout: { id: 'ro_1', state: 'baking' } });
    expect(err.message).toBe('rollout ro_1 of digits is still baking after 150 ms.');
    const reads = api?.received.length ?? 0;
    expect(reads).toBeGreaterThan(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(api?.received).toHaveLength(reads);
  });

  it('times out a read that hangs, not only the pause between reads', async () => {
    const mp = await clientFor({ [`GET ${base}/current`]: () => 'hang' }, { timeoutMs: 60_000 });
    const started = Date.now();
    const err = await caught(mp.rollouts.wait('digits', { timeoutMs: 100 }));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(err).toBeInstanceOf(RolloutWaitTimeoutError);
    expect(err).toMatchObject({ rollout: undefined, message: 'no answer for digits after 100 ms.' });
  });

  it('an aborted signal ends the wait with its reason', async () => {
    const mp = await clientFor({
      [`GET ${base}/current`]: { body: cannedRollout() },
      [`GET ${base}/ro_1`]: { body: cannedRollout() },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('job cancelled')), 50);
    const err = await caught(mp.rollouts.wait('digits', { pollMs: 10_000, signal: controller.signal }));
    expect(err.message).toBe('job cancelled');
    expect(api?.received).toHaveLength(1);
  });

  it('refuses a negative or infinite pollMs or timeoutMs before any read', async () => {
    const mp = await clientFor({});
    await expect(mp.rollouts.wait('digits', { pollMs: -1 })).rejects.toThrow(RangeError);
    await expect(mp.rollouts.wait('digits', { timeoutMs: Number.POSITIVE_INFINITY })).rejects.toThrow(
      'timeoutMs must be a finite number from 0 up',
    );
    expect(api?.received).toHaveLength(0);
  });
});
