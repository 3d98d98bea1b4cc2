import type { Logger } from '../platform/logger.js';
import { InstancePool, type ServingPlan } from './instance-pool.js';
import type { RunnerClient, RunnerReply } from './runner-client.js';
import type { RunnerTiming } from './runner-process.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';
import { sendTensors, type TensorRequest } from './tensor-transport.js';

interface Served {
  active: InstancePool;
  /** Pools of replaced versions, finishing their requests before they stop. */
  draining: Set<InstancePool>;
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
    /** Shared memory for tensor bytes to and from local runners; none means the socket only. */
    private readonly slots?: SharedMemorySlots,
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

  /** Tensor bytes moved through shared memory so far; undefined when it is off. */
  get sharedMemoryBytes(): Readonly<{ toRunners: number; fromRunners: number }> | undefined {
    return this.slots?.bytes;
  }

  /** Every pool taking traffic now, for metrics that ask the runners. */
  activePools(): InstancePool[] {
    return [...this.served.values()].map((s) => s.active);
  }

  pool(deploymentId: string): InstancePool | undefined {
    return this.served.get(deploymentId)?.active;
  }

  /** Sends one encoded request to the least busy ready instance. */
  async forward(deploymentId: string, path: string, options: TensorRequest): Promise<RunnerReply> {
    const pool = this.served.get(deploymentId)?.active;
    if (!pool) throw new Error(`deployment ${deploymentId} is not served by this process`);
    const runner = pool.pick();
    const client = runner.client;
    if (!client) throw new Error('picked runner has no client');
    runner.outstanding++;
    try {
      return await sendTensors(client, this.slots, path, options);
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
    this.slots?.close();
  }
}
