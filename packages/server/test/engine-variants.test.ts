import { deploymentSettingsSchema } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { choosePool } from '../src/engine/choose-pool.js';
import {
  Engine,
  type HostRequest,
  type RunnerConnection,
  type RunnerHost,
  type RunnerState,
  type ServingPlan,
} from '../src/engine/index.js';
import { createLogger } from '../src/platform/index.js';

/** A runner that needs no process: ready at once, it answers every request with the version it runs. */
class InMemoryHost implements RunnerHost {
  state: RunnerState = 'starting';
  readonly info = { platform: 'fake', inputs: [], outputs: [], batchable: true };
  readonly restarts = 0;
  readonly pid = undefined;
  constructor(readonly request: HostRequest) {}

  get connection(): RunnerConnection | undefined {
    if (this.state !== 'ready') return undefined;
    const answer = async () => ({
      status: 200,
      headers: {},
      body: Buffer.from(this.request.launch.modelVersion),
    });
    return {
      request: answer,
      sendTensors: answer,
      open: () => Promise.reject(new Error('not streamed')),
      postJson: () => Promise.reject(new Error('not JSON')),
    };
  }

  async start(): Promise<void> {
    this.state = 'ready';
  }
  async stop(): Promise<void> {
    this.state = 'stopped';
  }
  async healthy(): Promise<boolean> {
    return this.state === 'ready';
  }
  memoryBytes(estimateBytes: number): number {
    return this.state === 'stopped' ? 0 : estimateBytes;
  }
}

const MIB = 2 ** 20;

function planOf(deploymentId: string, variant: string, version: number): ServingPlan {
  return {
    deploymentId,
    name: deploymentId,
    variant,
    modelName: 'm',
    task: 'tensor',
    version,
    backend: 'fake',
    artifactPath: '',
    settings: deploymentSettingsSchema.parse({}),
    threads: 1,
    maxBodyBytes: MIB,
    instanceBytes: 100 * MIB,
  };
}

function engineWithHosts(budgetBytes = 1000 * MIB): { engine: Engine; hosts: InMemoryHost[] } {
  const hosts: InMemoryHost[] = [];
  const engine = new Engine(createLogger('silent'), {
    memoryBudgetBytes: budgetBytes,
    hosts: (request) => {
      const host = new InMemoryHost(request);
      hosts.push(host);
      return host;
    },
  });
  return { engine, hosts };
}

const send = (engine: Engine, pool: Parameters<Engine['forward']>[0]) =>
  engine
    .forward(pool, '/v2/models/d/infer', { body: Buffer.alloc(0), headerLength: 0, timeoutMs: 1000 })
    .then((r) => r.body.toString());

describe('choosing a pool among the variants of a deployment', () => {
  const byVariant = new Map([
    ['stable', 'pool-stable'],
    ['canary', 'pool-canary'],
  ]);

  it('takes the variant a request names, and nothing for an unknown one', () => {
    expect(choosePool(byVariant, { variant: 'canary' })).toBe('pool-canary');
    expect(choosePool(byVariant, { variant: 'nope' })).toBeUndefined();
  });

  it('takes the deployment’s one variant when the request names none', () => {
    expect(choosePool(new Map([['default', 'only']]), {})).toBe('only');
    expect(choosePool(new Map(), {})).toBeUndefined();
  });
});

describe('an engine holding several variants of one deployment', () => {
  it('serves each variant from its own pool and counts both in the memory budget', async () => {
    const { engine } = engineWithHosts();
    await engine.start(planOf('d', 'stable', 1));
    await engine.start(planOf('d', 'canary', 2));
    expect(engine.pools('d').map((p) => [p.plan.variant, p.plan.version])).toEqual([
      ['stable', 1],
      ['canary', 2],
    ]);
    expect(engine.usedBytes()).toBe(200 * MIB);
    expect(await send(engine, await engine.loaded('d', { variant: 'canary' }))).toBe('2');
    expect(await send(engine, await engine.loaded('d', { variant: 'stable' }))).toBe('1');
    expect(engine.status('d')).toBe('ready');
    await engine.close();
  });

  it('swaps one variant without touching the other; a request routed to the replaced pool goes to its successor', async () => {
    const { engine, hosts } = engineWithHosts();
    await engine.start(planOf('d', 'stable', 1));
    await engine.start(planOf('d', 'canary', 2));
    const routedBeforeSwap = await engine.loaded('d', { variant: 'stable' });
    await engine.start(planOf('d', 'stable', 3));
    expect(engine.pools('d').map((p) => p.plan.version)).toEqual([3, 2]);
    expect(await send(engine, routedBeforeSwap)).toBe('3');
    // The replaced pool drains (nothing in flight) and stops; the canary's host runs on.
    await new Promise((r) => setTimeout(r, 50));
    expect(hosts.map((h) => [h.request.launch.modelVersion, h.state])).toEqual([
      ['1', 'stopped'],
      ['2', 'ready'],
      ['3', 'ready'],
    ]);
    await engine.close();
  });

  it('unloads every variant of an idle deployment to fit the budget, and loads them all again on demand', async () => {
    const { engine } = engineWithHosts(250 * MIB);
    await engine.start(planOf('d', 'stable', 1));
    await engine.start(planOf('d', 'canary', 2));
    await engine.start(planOf('other', 'default', 1));
    expect(engine.status('d')).toBe('unloaded');
    expect(engine.pools('d')).toEqual([]);
    const pool = await engine.loaded('d', { variant: 'canary' });
    expect(await send(engine, pool)).toBe('2');
    expect(engine.pools('d').map((p) => p.plan.variant)).toEqual(['stable', 'canary']);
    expect(engine.status('other')).toBe('unloaded');
    await engine.close();
  });
});

describe('an engine serving revisions of a deployment', () => {
  const split = (revision: number, weights: Record<string, number>) => ({
    revision,
    salt: 'd',
    weights: Object.entries(weights).map(([variant, weight]) => ({ variant, weight })),
  });

  it('keeps unchanged pools, starts new ones, and drains the variants a revision removes', async () => {
    const { engine, hosts } = engineWithHosts();
    await engine.deploy([planOf('d', 'A', 1), planOf('d', 'B', 2)], split(1, { A: 50, B: 50 }));
    await engine.deploy([planOf('d', 'A', 1), planOf('d', 'C', 3)], split(2, { A: 10, C: 90 }));
    expect(engine.pools('d').map((p) => [p.plan.variant, p.plan.version])).toEqual([
      ['A', 1],
      ['C', 3],
    ]);
    expect(engine.split('d')?.revision).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(hosts.map((h) => [h.request.launch.modelVersion, h.state])).toEqual([
      ['1', 'ready'],
      ['2', 'stopped'],
      ['3', 'ready'],
    ]);
    expect(await send(engine, await engine.loaded('d', { variant: 'C' }))).toBe('3');
    await engine.close();
  });

  it('changes nothing when one of the new pools cannot start', async () => {
    const { engine, hosts } = engineWithHosts(250 * MIB);
    await engine.deploy([planOf('d', 'A', 1)], split(1, { A: 1 }));
    // A and two new pools would need 300 MiB of 250: the revision is refused whole.
    await expect(
      engine.deploy(
        [planOf('d', 'A', 1), planOf('d', 'B', 2), planOf('d', 'C', 3)],
        split(2, { A: 1, B: 1, C: 1 }),
      ),
    ).rejects.toMatchObject({ code: 'memory_budget_busy' });
    expect(engine.pools('d').map((p) => p.plan.variant)).toEqual(['A']);
    expect(engine.plans('d').map((p) => p.variant)).toEqual(['A']);
    expect(engine.split('d')?.revision).toBe(1);
    expect(hosts.filter((h) => h.state === 'ready')).toHaveLength(1);
    await engine.close();
  });
});
