import type { Principal } from '../auth/index.js';
import type { DeploymentService, FailoverRun, RequestRouting } from '../deploy/index.js';
import type { Engine, InstancePool } from '../engine/index.js';
import { admitEarly } from '../inference/index.js';
import { AppError } from '../platform/errors/index.js';
import { parseVersionRef } from '../registry/index.js';
import type { MeterTarget } from '../usage/index.js';
import {
  isTaskIn,
  type PredictRequest,
  type PredictResponse,
  predictTasks,
  type TaskName,
} from '../wire/index.js';

export interface PredictTarget {
  /** The deployment the request named: its key × model limits apply, whichever deployment answers. */
  requested: string;
  /** The first deployment of its failover chain that took the request (the named one, or a fallback). */
  name: string;
  /** The registry model behind the deployment. */
  modelName: string;
  version: number;
  task: TaskName;
  /** The pool the request was routed to; `predict` sends it there without resolving again. */
  pool: InstancePool;
  /** Where `predict` goes next when that pool fails before answering. */
  chain: FailoverRun;
}

/** What a task request reaches: the limits of the deployment it named (the row names who answered). */
export function meterTarget(target: PredictTarget, endpoint: string): MeterTarget {
  return { deployment: target.requested, model: target.modelName, version: target.version, endpoint };
}

/** Told which deployment of the chain does the work (the usage row names it). */
export interface ServedByListener {
  servedBy(served: Pick<MeterTarget, 'deployment' | 'model' | 'version'>): void;
}

/** Task requests go to the deployment's runner, which decodes, preprocesses, runs and postprocesses. */
export function createPredictService(deps: { deployments: DeploymentService; engine: Engine }) {
  return {
    /**
     * Refusals that need no body, for a `model` as the path names it (`name`, `name:version`,
     * `name@alias`): unknown deployment, every queue full (see inference's admit-early.ts).
     * Returns the deployment's name.
     */
    async admit(p: Principal, model: string): Promise<string> {
      const { model: name } = parseVersionRef(model);
      await admitEarly(deps.deployments, deps.engine, p, name);
      return name;
    },

    async target(
      p: Principal,
      model: string,
      routing?: RequestRouting,
      signal?: AbortSignal,
    ): Promise<PredictTarget> {
      const chain = await deps.deployments.servingChainFor(p, model, { routing, kind: 'tensor', signal });
      const { pool } = chain.current;
      if (!isTaskIn(predictTasks, pool.plan.task)) {
        throw new AppError(
          'task_not_supported',
          `Model '${pool.plan.modelName}' has task '${pool.plan.task}', which has no predict pipeline.`,
        );
      }
      return {
        requested: chain.requested,
        name: pool.plan.name,
        modelName: pool.plan.modelName,
        version: pool.plan.version,
        task: pool.plan.task as TaskName,
        pool,
        chain,
      };
    },

    /** Runs the request on the target's pool, then on its chain's next deployments while they fail before answering. */
    async predict(
      target: PredictTarget,
      request: PredictRequest,
      signal: AbortSignal,
      meter?: ServedByListener | null,
    ): Promise<PredictResponse> {
      return target.chain.run(({ pool }) => {
        const { plan } = pool;
        if (plan.task !== request.task) {
          throw new AppError(
            'task_not_supported',
            `Model '${plan.modelName}' does ${plan.task}, not ${request.task}.`,
          );
        }
        meter?.servedBy({ deployment: plan.name, model: plan.modelName, version: plan.version });
        return deps.engine.withRunner(
          pool,
          (client) =>
            client.postJson<PredictResponse>('/v1/predict', request, {
              signal,
              timeoutMs: plan.settings.timeoutMs,
            }),
          // Shadows get the same request; their answers are compared with JSON deep equality.
          { mirror: { send: (client, deadline) => client.postJson('/v1/predict', request, deadline) } },
        );
      });
    },
  };
}

export type PredictService = ReturnType<typeof createPredictService>;
