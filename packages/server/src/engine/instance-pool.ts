import { AppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import type { LlmInfo, ModelInfo } from '../wire/index.js';
import type { RunnerHost, RunnerHostFactory } from './runner-host.js';
import { runnerLaunchOf } from './runner-launch.js';
import type { RunnerTiming } from './runner-timing.js';
import type { ServingPlan } from './serving-plan.js';

/** One instance of a pool: where it runs, and the requests it is serving now. */
export interface PoolInstance {
  readonly host: RunnerHost;
  outstanding: number;
}

/** The instances serving one variant's version of a deployment; requests go to the least busy ready one. */
export class InstancePool {
  private members: PoolInstance[];
  /** Drained and stopping: a request chosen for it before goes to its variant's pool now. */
  stopping = false;
  private servingPlan: ServingPlan;

  constructor(plan: ServingPlan, log: Logger, hosts: RunnerHostFactory, timing: RunnerTiming) {
    this.servingPlan = plan;
    const launch = runnerLaunchOf(plan);
    this.members = Array.from({ length: plan.settings.instances }, (_, instance) => ({
      host: hosts({
        launch,
        deploymentId: plan.deploymentId,
        instance,
        log,
        timing,
        isolation: plan.settings.isolation,
      }),
      outstanding: 0,
    }));
  }

  /** The instances taking requests (an autoscaled pool grows and shrinks). */
  get instances(): readonly PoolInstance[] {
    return this.members;
  }

  /** Takes in the started instances of a pool launched to grow this one. */
  adopt(grown: InstancePool): void {
    this.members = [...this.members, ...grown.instances];
  }

  /** Takes the `count` least busy instances out of rotation at once; the caller drains and stops them. */
  release(count: number): PoolInstance[] {
    const byLoad = [...this.members].sort((a, b) => a.outstanding - b.outstanding);
    const leaving = new Set(byLoad.slice(0, Math.max(0, Math.min(count, this.members.length - 1))));
    this.members = this.members.filter((i) => !leaving.has(i));
    return [...leaving];
  }

  get plan(): ServingPlan {
    return this.servingPlan;
  }

  /** A promoted rollout's pool joins the current fleet: same runners, the current fleet's key. */
  joinCurrentFleet(): void {
    const { fleet: _, ...plan } = this.servingPlan;
    this.servingPlan = plan;
  }

  /** A revision that keeps this pool made its variant a shadow (with this sampling), or production. */
  retag(shadow: ServingPlan['shadow']): void {
    const { shadow: _, ...plan } = this.servingPlan;
    this.servingPlan = shadow ? { ...plan, shadow } : plan;
  }

  /** Resolves when every instance is ready; a model that cannot load fails here. */
  async start(): Promise<void> {
    try {
      await Promise.all(this.instances.map((i) => i.host.start()));
    } catch (err) {
      await this.stop(0);
      throw err;
    }
  }

  get ready(): boolean {
    return this.instances.some((i) => i.host.state === 'ready');
  }

  /** Tensor backends' inputs and outputs; undefined for language models. */
  get info(): ModelInfo | undefined {
    if (this.plan.backend === 'llama' || this.plan.backend === 'transformers') return undefined;
    return this.instances.find((i) => i.host.info)?.host.info as ModelInfo | undefined;
  }

  get llmInfo(): LlmInfo | undefined {
    if (this.plan.backend !== 'llama') return undefined;
    return this.instances.find((i) => i.host.info)?.host.info as LlmInfo | undefined;
  }

  get outstanding(): number {
    return this.instances.reduce((sum, i) => sum + i.outstanding, 0);
  }

  /** What the instances hold now: measured where they run, estimated where they start. */
  get memoryBytes(): number {
    return this.instances.reduce((sum, i) => sum + i.host.memoryBytes(this.plan.instanceBytes), 0);
  }

  /**
   * What the instances are expected to hold on this machine once started, before any is measured:
   * each host's estimate while it starts (nothing for a runner on another host).
   */
  get plannedBytes(): number {
    return this.instances.reduce((sum, i) => sum + i.host.memoryBytes(this.plan.instanceBytes), 0);
  }

  pick(): PoolInstance {
    let best: PoolInstance | undefined;
    for (const i of this.instances) {
      if (i.host.state === 'ready' && i.host.connection && (!best || i.outstanding < best.outstanding))
        best = i;
    }
    if (!best) {
      throw new AppError('model_not_ready', `Deployment '${this.plan.name}' has no ready instance.`, {
        retryAfterS: 1,
      });
    }
    return best;
  }

  async stop(graceMs = 10_000): Promise<void> {
    await Promise.all(this.instances.map((i) => i.host.stop(graceMs)));
  }
}
