import type { Principal } from '../auth/index.js';
import type { DeploymentService, RequestRouting } from '../deploy/index.js';
import type { Engine, InstancePool } from '../engine/index.js';
import { AppError } from '../platform/errors/index.js';
import type { MeterTarget } from '../usage/index.js';
import {
  isTaskIn,
  type PredictRequest,
  type PredictResponse,
  predictTasks,
  type TaskName,
} from '../wire/index.js';

export interface PredictTarget {
  name: string;
  /** The registry model behind the deployment. */
  modelName: string;
  version: number;
  task: TaskName;
  /** The pool the request was routed to; `predict` sends it there without resolving again. */
  pool: InstancePool;
}

/** What the usage ledger records of a task request. */
export function meterTarget(target: PredictTarget, endpoint: string): MeterTarget {
  return { deployment: target.name, model: target.modelName, version: target.version, endpoint };
}

/** Task requests go to the deployment's runner, which decodes, preprocesses, runs and postprocesses. */
export function createPredictService(deps: { deployments: DeploymentService; engine: Engine }) {
  return {
    async target(p: Principal, model: string, routing?: RequestRouting): Promise<PredictTarget> {
      const { pool } = await deps.deployments.servingPoolFor(p, model, routing);
      if (!isTaskIn(predictTasks, pool.plan.task)) {
        throw new AppError(
          'task_not_supported',
          `Model '${pool.plan.modelName}' has task '${pool.plan.task}', which has no predict pipeline.`,
        );
      }
      return {
        name: pool.plan.name,
        modelName: pool.plan.modelName,
        version: pool.plan.version,
        task: pool.plan.task as TaskName,
        pool,
      };
    },

    async predict(
      target: PredictTarget,
      request: PredictRequest,
      signal: AbortSignal,
    ): Promise<PredictResponse> {
      const { pool } = target;
      if (pool.plan.task !== request.task) {
        throw new AppError(
          'task_not_supported',
          `Model '${pool.plan.modelName}' does ${pool.plan.task}, not ${request.task}.`,
        );
      }
      return deps.engine.withRunner(
        pool,
        (client) =>
          client.postJson<PredictResponse>('/v1/predict', request, {
            signal,
            timeoutMs: pool.plan.settings.timeoutMs,
          }),
        // Shadows get the same request; their answers are compared with JSON deep equality.
        { mirror: { send: (client, deadline) => client.postJson('/v1/predict', request, deadline) } },
      );
    },
  };
}

export type PredictService = ReturnType<typeof createPredictService>;
