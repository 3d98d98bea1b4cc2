import type { Logger } from '../platform/logger.js';
import { InstancePool, type ServingPlan } from './instance-pool.js';
import type { RunnerClient, RunnerReply } from './runner-client.js';
import type { RunnerTiming } from './runner-process.js';

interface Served {
  active: InstancePool;
  /** Pools of replaced versions, finishing their requests before they stop. */
  draining: Set<InstancePool>;
}

export interface ForwardOptions {
  body: Buffer;
  headerLength: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * The supervisor side of serving: which pools of runner processes serve which deployment, and the
 * zero-downtime swap (start the new version, wait until ready, move traffic, drain the old).
 */
export class Engine {
  private readonly served = new Map<string, Served>();

  constructor(
    private readonly log: Logger,
    private readonly timing?: RunnerTiming,
  ) {}

  async start(plan: ServingPlan): Promise<void> {
    const pool = new InstancePool(plan, this.log, this.timing);
    await pool.start();
    const previous = this.served.get(plan.deploymentId);
    this.served.set(plan.deploymentId, { active: pool, draining: previous?.draining ?? new Set() });
    if (previous) void this.drain(plan.deploymentId, previous.active);
  }

  private async drain(deploymentId: string, pool: InstancePool): Promise<void> {
    const served = this.served.get(deploymentId);
    served?.draining.add(pool);
    while (pool.outstanding > 0) await new Promise((r) => setTimeout(r, 20));
    await pool.stop();
    served?.draining.delete(pool);
  }

  /** Every pool taking traffic now, for metrics that ask the runners. */
  activePools(): InstancePool[] {
    return [...this.served.values()].map((s) => s.active);
  }

  pool(deploymentId: string): InstancePool | undefined {
    return this.served.get(deploymentId)?.active;
  }

  /** Sends one encoded request to the least busy ready instance. */
  async forward(deploymentId: string, path: string, options: ForwardOptions): Promise<RunnerReply> {
    const pool = this.served.get(deploymentId)?.active;
    if (!pool) throw new Error(`deployment ${deploymentId} is not served by this process`);
    const runner = pool.pick();
    const client = runner.client;
    if (!client) throw new Error('picked runner has no client');
    runner.outstanding++;
    try {
      return await client.request('POST', path, {
        body: options.body,
        headers: {
          'content-type': 'application/octet-stream',
          'inference-header-content-length': String(options.headerLength),
          'x-timeout-ms': String(options.timeoutMs),
        },
        timeoutMs: options.timeoutMs + 5_000,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } finally {
      runner.outstanding--;
    }
  }

  /**
   * Runs `use` against the least busy ready instance, counting it as outstanding until `use`
   * settles, so a swap drains streams too.
   */
  async withRunner<T>(deploymentId: string, use: (client: RunnerClient) => Promise<T>): Promise<T> {
    const pool = this.served.get(deploymentId)?.active;
    if (!pool) throw new Error(`deployment ${deploymentId} is not served by this process`);
    const runner = pool.pick();
    if (!runner.client) throw new Error('picked runner has no client');
    runner.outstanding++;
    try {
      return await use(runner.client);
    } finally {
      runner.outstanding--;
    }
  }

  async stop(deploymentId: string): Promise<void> {
    const served = this.served.get(deploymentId);
    if (!served) return;
    this.served.delete(deploymentId);
    await Promise.all([served.active.stop(), ...[...served.draining].map((p) => p.stop())]);
  }

  async close(): Promise<void> {
    await Promise.all([...this.served.keys()].map((id) => this.stop(id)));
  }
}
