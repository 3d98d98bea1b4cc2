import { type Deployment, Modelport } from '@modelport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyOnnx } from '../../sdk/test/support/tiny-onnx.js';
import { addModel } from '../../server/test/support/artifacts.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { cliFor } from './support/run.js';

let server: TestServer;
let cli: ReturnType<typeof cliFor>;
let mp: Modelport;
beforeAll(async () => {
  server = await startTestServer();
  cli = cliFor(server.url, server.adminKey);
  mp = new Modelport({ baseUrl: server.url, apiKey: server.adminKey });
  await mp.models.create({ name: 'split' });
  await mp.versions.upload('split', tinyOnnx({ tag: 'split-1' }));
  await mp.versions.upload('split', tinyOnnx({ tag: 'split-2' }));
  await mp.deployments.create({ model: 'split', version: 1, threads: 1 });
  // The adder: version 1 adds 1, version 2 adds 2.
  await mp.models.create({ name: 'adder' });
  await mp.versions.upload('adder', addModel(1));
  await mp.versions.upload('adder', addModel(2));
});
afterAll(async () => {
  await server?.close();
});

describe('modelport deployments', () => {
  it('variants replaces the split as the next revision; revisions lists them, the served one starred', async () => {
    const res = await cli([
      'deployments',
      'variants',
      'split',
      '--variant',
      'name=AllTraffic,version=1,weight=90',
      '--variant',
      'name=Canary,version=2,weight=10,instances=1',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')).toEqual([
      'deployment split serves revision 2',
      expect.stringMatching(/^VARIANT +VERSION +ROLE +WEIGHT +TRAFFIC +SAMPLED +INSTANCES$/),
      expect.stringMatching(/^AllTraffic +1 +production +90 +90% +- +1$/),
      expect.stringMatching(/^Canary +2 +production +10 +10% +- +1$/),
      '',
    ]);

    const revisions = await cli(['deployments', 'revisions', 'split']);
    expect(revisions.code).toBe(0);
    expect(revisions.stdout.split('\n')).toEqual([
      expect.stringMatching(/^REVISION +CREATED +VARIANTS$/),
      expect.stringMatching(/^1 +\S+Z +default v1 ×1 w100$/),
      expect.stringMatching(/^2 \* +\S+Z +AllTraffic v1 ×1 w90, Canary v2 ×1 w10$/),
      '',
    ]);
    const json = await cli(['--json', 'deployments', 'revisions', 'split']);
    expect(JSON.parse(json.stdout).map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
  });

  it('a split the server refuses is exit code 1 with its code; a malformed --variant is exit code 2', async () => {
    const refused = await cli(['deployments', 'variants', 'split', '--variant', 'name=A,version=1,weight=0']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: invalid_variants: /);

    const malformed = await cli(['deployments', 'variants', 'split', '--variant', 'name=A,weight=1']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(
      /argument 'name=A,weight=1' is invalid\. version missing: name=<variant>/,
    );
    expect((await cli(['deployments', 'variants', 'split'])).stderr).toMatch(
      /required option '--variant <spec>' not specified/,
    );
  });
});

describe('modelport deployments create, list, show, update, delete', () => {
  it('create sends the settings given and prints what is served; show --json has them', async () => {
    const res = await cli([
      'deployments',
      'create',
      'adder',
      '--name',
      'adder-cli',
      '--version',
      '1',
      '--threads',
      '1',
      '--max-batch-size',
      '4',
      '--max-queue-delay-ms',
      '2',
      '--max-queue-size',
      '32',
      '--timeout-ms',
      '5000',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      'deployment adder-cli serves adder v1 (revision 1): ready, 1/1 instances ready\n',
    );
    const shown = JSON.parse((await cli(['deployments', 'show', 'adder-cli', '--json'])).stdout);
    expect(shown).toMatchObject({
      name: 'adder-cli',
      model: 'adder',
      version: 1,
      settings: {
        instances: 1,
        threads: 1,
        batching: { maxBatchSize: 4, maxQueueDelayMs: 2 },
        maxQueueSize: 32,
        timeoutMs: 5000,
      },
    });
  });

  it('list shows each deployment with its revision, status, ready instances and rollout', async () => {
    const res = await cli(['deployments', 'list']);
    expect(res.code).toBe(0);
    const lines = res.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME +MODEL +VERSION +REVISION +STATUS +READY +ROLLOUT$/);
    expect(lines).toContainEqual(expect.stringMatching(/^adder-cli +adder +1 +1 +ready +1\/1 +-$/));
    const listed = JSON.parse((await cli(['--json', 'deployments', 'list'])).stdout) as Deployment[];
    expect(listed.map((d) => d.name)).toEqual(expect.arrayContaining(['adder-cli', 'split']));
  });

  it('update scales and swaps the version; show has the variants, their share and the instances', async () => {
    const scaled = await cli(['deployments', 'update', 'adder-cli', '--instances', '2']);
    expect(scaled.code).toBe(0);
    expect(scaled.stdout).toMatch(
      /^deployment adder-cli serves adder v1 \(revision \d+\): ready, 2\/2 instances ready\n$/,
    );
    const swapped = await cli(['deployments', 'update', 'adder-cli', '--version', '2']);
    expect(swapped.code).toBe(0);
    expect(swapped.stdout).toMatch(/^deployment adder-cli serves adder v2 \(revision \d+\): ready, 2\/2/);

    const show = await cli(['deployments', 'show', 'adder-cli']);
    expect(show.stderr).toBe('');
    const lines = show.stdout.split('\n');
    expect(lines.slice(0, 8)).toEqual([
      'deployment adder-cli',
      expect.stringMatching(/^ {2}model: +adder v2$/),
      expect.stringMatching(/^ {2}revision: +\d+$/),
      expect.stringMatching(/^ {2}status: +ready, 2\/2 instances ready$/),
      expect.stringMatching(
        /^ {2}settings: +threads 1, batches of 4 within 2 ms, queue 32, timeout 5000 ms$/,
      ),
      expect.stringMatching(/^ {2}rollout: +-$/),
      expect.stringMatching(/^ {2}created: +\S+Z$/),
      expect.stringMatching(/^ {2}updated: +\S+Z$/),
    ]);
    expect(lines).toContainEqual(expect.stringMatching(/^default +2 +production +100 +100% +- +2$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^VARIANT +VERSION +FLEET +STATE +PID +RESTARTS +IN FLIGHT +MEMORY$/),
    );
    const instances = lines.filter((l) => /^default +2 +current /.test(l));
    expect(instances).toHaveLength(2);
    for (const line of instances)
      expect(line).toMatch(/^default +2 +current +ready +\d+ +0 +0 +[\d.]+ [KMG]?B$/);
  });

  it('update turns autoscaling on with only the flags given, shows it, and turns it off', async () => {
    const on = await cli([
      'deployments',
      'update',
      'adder-cli',
      '--max-instances',
      '2',
      '--target-concurrency',
      '8',
    ]);
    expect(on.code).toBe(0);
    const shown = (await cli(['deployments', 'show', 'adder-cli'])).stdout;
    expect(shown).toMatch(/^ {2}autoscaling: +1–2 instances, target 8 in flight \(now default \d→\d\)$/m);
    // Laid over what is set: the target stays 8.
    expect((await cli(['deployments', 'update', 'adder-cli', '--max-instances', '1'])).code).toBe(0);
    expect((await mp.deployments.get('adder-cli')).settings.autoscaling).toMatchObject({
      maxInstances: 1,
      targetConcurrency: 8,
    });
    expect((await cli(['deployments', 'update', 'adder-cli', '--no-autoscaling'])).code).toBe(0);
    expect((await mp.deployments.get('adder-cli')).settings.autoscaling).toBeUndefined();
    expect((await cli(['deployments', 'show', 'adder-cli'])).stdout).not.toMatch(/autoscaling:/);
  }, 60_000);

  it('delete needs --yes without a terminal, asks when there is one, and stops serving', async () => {
    const refused = await cli(['deployments', 'delete', 'adder-cli']);
    expect(refused).toMatchObject({
      code: 2,
      stderr: "error: refusing to delete 'adder-cli' without --yes (no terminal to ask)\n",
    });
    const declined = await cli(['deployments', 'delete', 'adder-cli'], { confirm: async () => false });
    expect(declined).toMatchObject({ code: 0, stdout: '', stderr: 'not deleted\n' });

    const questions: string[] = [];
    const removed = await cli(['deployments', 'rm', 'adder-cli'], {
      confirm: async (q) => questions.push(q) > 0,
    });
    expect(removed).toMatchObject({ code: 0, stdout: 'deleted deployment adder-cli\n' });
    expect(questions).toEqual(["Stop serving deployment 'adder-cli'? Its endpoint stops answering."]);

    const gone = await cli(['deployments', 'delete', 'adder-cli', '--yes', '--json']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: deployment_not_found: .*'adder-cli'.* \(request \S+\)\n$/);
    expect((await cli(['deployments', 'show', 'adder-cli'])).stderr).toMatch(
      /^error: deployment_not_found: /,
    );
  });

  it('a rollout in progress shows in list and show, its next fleet among the instances', async () => {
    await mp.deployments.create({ name: 'rolling', model: 'adder', version: 1, threads: 1 });
    const started = await cli([
      'rollouts',
      'start',
      'rolling',
      '--variant',
      'name=default,version=2,weight=100',
      '--strategy',
      'canary',
      '--percent',
      '25',
      '--bake',
      '3600',
    ]);
    expect(started.code).toBe(0);
    await mp.rollouts.wait('rolling', { pollMs: 50, timeoutMs: 30_000, until: ['baking'] });

    const list = await cli(['deployments', 'list']);
    expect(list.stdout.split('\n')).toContainEqual(
      expect.stringMatching(/^rolling +adder +1 +1 +ready +2\/2 +baking 25%$/),
    );
    const show = (await cli(['deployments', 'show', 'rolling'])).stdout.split('\n');
    expect(show).toContainEqual(
      expect.stringMatching(/^ {2}rollout: +rollout \S+ of rolling: baking, step 1\/2 at 25%$/),
    );
    expect(show).toContainEqual(expect.stringMatching(/^default +2 +next +ready /));
    await mp.rollouts.abort('rolling');
    await mp.deployments.delete('rolling');
  });
});

describe('modelport deployments: usage errors exit 2 with a message', () => {
  it.each([
    [['deployments', 'create'], "error: missing required argument 'model'"],
    [['deployments', 'show'], "error: missing required argument 'name'"],
    [['deployments', 'shadows'], "error: missing required argument 'name'"],
    [
      ['deployments', 'update', 'split'],
      'error: nothing to change: pass --version, --instances, autoscaling, fallback or failover options',
    ],
    [
      ['deployments', 'create', 'adder', '--instances', 'two'],
      "error: option '--instances <n>' argument 'two' is invalid. 'two' is not a whole number from 1 up.",
    ],
    [
      ['deployments', 'create', 'adder', '--instances', '65'],
      'error: --instances: Too big: expected number to be <=64',
    ],
    [
      ['deployments', 'update', 'split', '--version', '0'],
      "error: option '--version <n|alias>' argument '0' is invalid. '0' is not a version number.",
    ],
    [['deployments', 'create', 'adder', '--name', 'Not A Name'], 'error: --name: must match'],
    [
      ['deployments', 'create', 'adder', '--max-queue-delay-ms', 'soon'],
      "error: option '--max-queue-delay-ms <ms>' argument 'soon' is invalid. 'soon' is not a number from 0 up.",
    ],
    [
      ['deployments', 'create', 'adder', '--options', '[]'],
      "error: option '--options <json|@file>' argument '[]' is invalid. --options must be a JSON object.",
    ],
    [['deployments', 'create', 'adder', '--replicas', '2'], "error: unknown option '--replicas'"],
    [['deployments', 'scale', 'split'], "error: unknown command 'scale'"],
  ])('%j', async (argv, message) => {
    const res = await cli(argv);
    expect(res.stdout).toBe('');
    expect(res.stderr.startsWith(message)).toBe(true);
    expect(res.code).toBe(2);
  });

  it('what the server refuses exits 1 with its code', async () => {
    const refusals: [string[], string][] = [
      [['deployments', 'create', 'no-such-model'], 'model_not_found'],
      [['deployments', 'create', 'adder', '--name', 'adder-99', '--version', '99'], 'version_not_found'],
      [['deployments', 'update', 'no-such-deployment', '--instances', '2'], 'deployment_not_found'],
      [['deployments', 'update', 'split', '--instances', '2'], 'invalid_variants'],
    ];
    for (const [argv, code] of refusals) {
      const res = await cli(argv);
      expect([res.code, res.stdout, res.stderr]).toEqual([1, '', expect.stringMatching(`^error: ${code}: `)]);
    }
  });

  it('the program keeps its own --version before a command, and the global options after one', async () => {
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
    const json = await cli(['deployments', 'show', 'split', '--json', '--url', server.url]);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'split' });
  });
});
