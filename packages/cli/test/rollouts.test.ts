import { afterEach, describe, expect, it } from 'vitest';
import {
  type Answer,
  type FakeApi,
  inTurn,
  type Route,
  startFakeApi,
} from '../../sdk/test/support/fake-api.js';
import { cannedRollout, evaluation } from '../../sdk/test/support/rollout-fixture.js';
import { cliFor } from './support/run.js';

const base = '/api/v1/deployments/digits/rollouts';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** A CLI bound to a fake API that answers `routes` and records what it was sent. */
async function cliAgainst(routes: Record<string, Route | Answer>) {
  api = await startFakeApi(routes);
  return cliFor(api.url, 'mp_test');
}

const sent = () => (api?.received ?? []).map((r) => ({ method: r.method, path: r.path, body: r.body }));

describe('modelport rollouts start', () => {
  it('sends the canary with its guardrails as the request body', async () => {
    const cli = await cliAgainst({ [`POST ${base}`]: { status: 202, body: cannedRollout() } });
    const res = await cli([
      'rollouts',
      'start',
      'digits',
      '--variant',
      'name=AllTraffic,version=2,weight=100,instances=1',
      '--strategy',
      'canary',
      '--percent',
      '10',
      '--bake',
      '60',
      '--rule',
      'error_rate:max=0.01,maxIncrease=0.01',
      '--rule',
      'latency_p95:maxRatio=1.2',
      '--min-samples',
      '20',
      '--on-inconclusive',
      'pause',
      '--supersede',
    ]);
    expect(res.stderr).toBe('follow it with: modelport rollouts status digits --watch\n');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /^started rollout ro_1 of digits: revision 1 → 2, canary 10%, bake 60 s\nVARIANT +VERSION +ROLE +WEIGHT +TRAFFIC +SAMPLED +INSTANCES\nAllTraffic +2 +production +100 +100% +- +1\n$/,
    );
    expect(sent()).toEqual([
      {
        method: 'POST',
        path: base,
        body: {
          variants: [{ variantName: 'AllTraffic', modelVersion: 2, weight: 100, instances: 1 }],
          strategy: { type: 'canary', percent: 10, bakeSeconds: 60 },
          guardrails: {
            rules: [
              { metric: 'error_rate', max: 0.01, maxIncrease: 0.01 },
              { metric: 'latency_p95', maxRatio: 1.2 },
            ],
            minSamples: 20,
          },
          onInconclusive: 'pause',
          supersede: true,
        },
      },
    ]);
  });

  it('leaves the defaults to the server and prints the rollout under --json', async () => {
    const cli = await cliAgainst({ [`POST ${base}`]: { status: 202, body: cannedRollout() } });
    const res = await cli([
      '--json',
      'rollouts',
      'start',
      'digits',
      '--variant',
      'name=A,version=1,weight=90',
      '--variant',
      'name=B,version=production,weight=10',
    ]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(cannedRollout());
    expect(sent()[0]?.body).toEqual({
      variants: [
        { variantName: 'A', modelVersion: 1, weight: 90 },
        { variantName: 'B', modelVersion: 'production', weight: 10 },
      ],
    });
  });

  it.each([
    [
      ['--variant', 'name=A,version=1'],
      /option '--variant <spec>' argument 'name=A,version=1' is invalid\. weight missing/,
    ],
    [
      ['--variant', 'name=A,version=1,weight=1', '--rule', 'error_rate'],
      /argument 'error_rate' is invalid\. no bound for error_rate/,
    ],
    [['--variant', 'name=A,version=1,weight=1', '--rule', 'p95:max=1'], /'p95' is not a metric/],
    [
      ['--variant', 'name=A,version=1,weight=1', '--strategy', 'blue_green'],
      /argument 'blue_green' is invalid\. Allowed choices are all_at_once, canary, linear, rolling/,
    ],
    [
      ['--variant', 'name=A,version=1,weight=1', '--percent', '10'],
      /^error: --percent needs --strategy canary or linear\n$/,
    ],
    [
      ['--variant', 'name=A,version=1,weight=1', '--strategy', 'canary', '--percent', '150'],
      /^error: --percent: Too big/,
    ],
    [
      ['--variant', 'name=A,version=1,weight=1', '--bake', 'soon'],
      /argument 'soon' is invalid\. 'soon' is not a number from 0 up\./,
    ],
    [['--strategy', 'canary', '--percent', '10'], /required option '--variant <spec>' not specified/],
  ])('refuses %j with exit code 2 before sending anything', async (args, message) => {
    const cli = await cliAgainst({});
    const res = await cli(['rollouts', 'start', 'digits', ...args]);
    expect(res).toMatchObject({ code: 2, stdout: '' });
    expect(res.stderr).toMatch(message);
    expect(api?.received).toEqual([]);
  });

  it('a refusal from the server is exit code 1 with its code', async () => {
    const cli = await cliAgainst({
      [`POST ${base}`]: {
        status: 409,
        body: { error: { code: 'rollout_in_progress', message: 'ro_1 is baking', requestId: 'req_9' } },
      },
    });
    const res = await cli(['rollouts', 'start', 'digits', '--variant', 'name=A,version=1,weight=1']);
    expect(res).toMatchObject({ code: 1, stdout: '' });
    expect(res.stderr).toBe('error: rollout_in_progress: ro_1 is baking (request req_9)\n');
  });
});

describe('modelport rollouts status', () => {
  it('prints state, step, traffic, reason and the last evaluation, canary against baseline', async () => {
    const cli = await cliAgainst({
      [`GET ${base}/current`]: { body: cannedRollout({ lastEvaluation: evaluation() }) },
    });
    const res = await cli(['rollouts', 'status', 'digits']);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const out = res.stdout;
    expect(out).toMatch(/^rollout ro_1 of digits: revision 1 → 2\n/);
    expect(out).toMatch(/^ {2}state: +baking$/m);
    expect(out).toMatch(/^ {2}step: +1\/2$/m);
    expect(out).toMatch(/^ {2}traffic: +10% on revision 2$/m);
    expect(out).toMatch(/^ {2}reason: +-$/m);
    expect(out).toMatch(/^ {2}strategy: +canary 10%, bake 60 s$/m);
    expect(out).toContain('last evaluation 2026-12-05T10:01:05Z: pass (0 breaches in a row)\n');
    expect(out).toMatch(
      /^METRIC +CANARY +BASELINE\nrequests +120 +1080\nerrors +1 +2\nerror_rate +0\.83% +0\.19%\n/m,
    );
    expect(out).toMatch(/^latency_p95 +130 ms +110 ms$/m);
    expect(out).not.toMatch(/ttft|itl/);
    expect(out).toMatch(
      /^RULE +CANARY +BASELINE +LIMIT +OUTCOME\nerror_rate +0\.83% +0\.19% +1\.19% +pass\nlatency_p95 +130 ms +110 ms +132 ms +pass\n$/m,
    );
  });

  it('shows LLM latencies when there are some, says when nothing was evaluated, and takes --id', async () => {
    const llm = evaluation();
    llm.canary.ttftP95 = 250;
    const cli = await cliAgainst({
      [`GET ${base}/ro_7`]: { body: cannedRollout({ id: 'ro_7', lastEvaluation: llm }) },
      [`GET ${base}/current`]: { body: cannedRollout({ state: 'provisioning', step: -1, percent: 0 }) },
    });
    expect((await cli(['rollouts', 'status', 'digits', '--id', 'ro_7'])).stdout).toMatch(
      /^ttft_p95 +250 ms +-$/m,
    );
    const fresh = await cli(['rollouts', 'status', 'digits']);
    expect(fresh.stdout).toMatch(/^ {2}step: +0\/2$/m);
    expect(fresh.stdout).toMatch(/\nno evaluation yet\n$/);
  });

  it('--json prints the rollout as the API sent it', async () => {
    const rollout = cannedRollout({ lastEvaluation: evaluation() });
    const cli = await cliAgainst({ [`GET ${base}/current`]: { body: rollout } });
    const res = await cli(['rollouts', 'status', 'digits', '--json']);
    expect(JSON.parse(res.stdout)).toEqual(rollout);
  });

  it('--watch follows the first rollout read, a line per change, and exits 0 once it succeeded', async () => {
    const route = inTurn(
      ...[
        cannedRollout(),
        cannedRollout(),
        cannedRollout({ lastEvaluation: evaluation() }),
        cannedRollout({
          state: 'succeeded',
          step: 1,
          percent: 100,
          lastEvaluation: evaluation(),
          finishedAt: '2026-12-05T10:02:00.000Z',
        }),
      ].map((body) => ({ body })),
    );
    const cli = await cliAgainst({ [`GET ${base}/current`]: route, [`GET ${base}/ro_1`]: route });
    const res = await cli(['rollouts', 'status', 'digits', '--watch', '--interval', '0.01']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(
      [
        'rollout ro_1 of digits: baking, step 1/2 at 10%',
        'rollout ro_1 of digits: baking, step 1/2 at 10%, last evaluation pass',
        'rollout ro_1 of digits: succeeded, step 2/2 at 100%, last evaluation pass',
        '',
      ].join('\n'),
    );
    expect(res.stdout).toMatch(/^ {2}state: +succeeded$/m);
    expect(sent().map((r) => r.path)).toEqual([
      `${base}/current`,
      `${base}/ro_1`,
      `${base}/ro_1`,
      `${base}/ro_1`,
    ]);
  });

  it.each([
    ['rolled_back', 'guardrail_breach', 'error: rollout ro_1 ended rolled_back (guardrail_breach)\n'],
    ['failed', 'provisioning_failed', 'error: rollout ro_1 ended failed (provisioning_failed)\n'],
    [
      'paused',
      'insufficient_samples',
      'error: rollout ro_1 is paused (insufficient_samples): resume, promote or abort it with `modelport rollouts`\n',
    ],
  ] as const)('--watch ending %s exits 1', async (state, reason, error) => {
    const cli = await cliAgainst({
      [`GET ${base}/current`]: { body: cannedRollout() },
      [`GET ${base}/ro_1`]: { body: cannedRollout({ state, reason }) },
    });
    const res = await cli(['rollouts', 'status', 'digits', '--watch', '--interval', '0']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(new RegExp(`^ {2}state: +${state}$`, 'm'));
    expect(res.stderr.endsWith(error)).toBe(true);
  });

  it('--watch --timeout gives up with exit 1', async () => {
    const cli = await cliAgainst({
      [`GET ${base}/current`]: { body: cannedRollout() },
      [`GET ${base}/ro_1`]: { body: cannedRollout() },
    });
    const res = await cli([
      'rollouts',
      'status',
      'digits',
      '--watch',
      '--interval',
      '0.02',
      '--timeout',
      '0.2',
    ]);
    expect(res).toMatchObject({ code: 1, stdout: '' });
    expect(res.stderr).toMatch(
      /\nerror: wait_timeout: rollout ro_1 of digits is still baking after 200 ms\.\n$/,
    );
  });
});

describe('modelport rollouts list, pause, resume, abort, promote', () => {
  it('lists the rollouts newest first, or says there are none', async () => {
    const old = cannedRollout({
      id: 'ro_0',
      state: 'rolled_back',
      reason: 'guardrail_breach',
      strategy: { type: 'linear', steps: [10, 50, 100], bakeSeconds: 30 },
      steps: [10, 50, 100],
      step: 1,
      percent: 0,
      finishedAt: '2026-12-04T10:00:00.000Z',
    });
    const cli = await cliAgainst({
      [`GET ${base}`]: { body: { data: [cannedRollout(), old] } },
      'GET /api/v1/deployments/empty/rollouts': { body: { data: [] } },
    });
    const res = await cli(['rollouts', 'list', 'digits']);
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')).toEqual([
      expect.stringMatching(/^ID +STATE +REVISIONS +STRATEGY +STEP +PERCENT +REASON +STARTED +FINISHED$/),
      expect.stringMatching(
        /^ro_1 +baking +1 → 2 +canary 10%, bake 60 s +1\/2 +10% +- +2026-12-05T10:00:00Z +-$/,
      ),
      expect.stringMatching(
        /^ro_0 +rolled_back +1 → 2 +linear 10% → 50% → 100%, bake 30 s +2\/3 +0% +guardrail_breach +\S+ +2026-12-04T10:00:00Z$/,
      ),
      '',
    ]);
    expect((await cli(['rollouts', 'list', 'empty'])).stdout).toBe(
      'no rollouts yet: start one with `modelport rollouts start empty --variant …`\n',
    );
  });

  it('pause, resume and abort act on the current rollout, or the one named by --id', async () => {
    const answer = (state: 'paused' | 'baking' | 'rolling_back') => ({ body: cannedRollout({ state }) });
    const cli = await cliAgainst({
      [`POST ${base}/current/pause`]: answer('paused'),
      [`POST ${base}/current/resume`]: answer('baking'),
      [`POST ${base}/ro_1/abort`]: answer('rolling_back'),
    });
    expect((await cli(['rollouts', 'pause', 'digits'])).stdout).toBe(
      'rollout ro_1 of digits: paused, step 1/2 at 10%\n',
    );
    expect((await cli(['rollouts', 'resume', 'digits'])).code).toBe(0);
    expect((await cli(['rollouts', 'abort', 'digits', '--id', 'ro_1'])).stdout).toMatch(/: rolling_back,/);
    expect(sent()).toEqual([
      { method: 'POST', path: `${base}/current/pause`, body: {} },
      { method: 'POST', path: `${base}/current/resume`, body: {} },
      { method: 'POST', path: `${base}/ro_1/abort`, body: {} },
    ]);
  });

  it('promote takes the next step, or all of them with --all', async () => {
    const cli = await cliAgainst({
      [`POST ${base}/current/promote`]: inTurn(
        { body: cannedRollout({ state: 'shifting', step: 1, percent: 100 }) },
        { body: cannedRollout({ state: 'succeeded', step: 1, percent: 100 }) },
      ),
    });
    expect((await cli(['rollouts', 'promote', 'digits'])).stdout).toBe(
      'rollout ro_1 of digits: shifting, step 2/2 at 100%\n',
    );
    expect((await cli(['--json', 'rollouts', 'promote', 'digits', '--all'])).code).toBe(0);
    expect(sent().map((r) => r.body)).toEqual([{}, { all: true }]);
  });

  it('an unknown deployment is exit code 1 with the API error', async () => {
    const cli = await cliAgainst({
      'POST /api/v1/deployments/ghost/rollouts/current/pause': {
        status: 404,
        body: {
          error: { code: 'deployment_not_found', message: "No deployment 'ghost'.", requestId: 'req_2' },
        },
      },
    });
    const res = await cli(['rollouts', 'pause', 'ghost']);
    expect(res).toMatchObject({ code: 1, stdout: '' });
    expect(res.stderr).toBe("error: deployment_not_found: No deployment 'ghost'. (request req_2)\n");
  });
});
