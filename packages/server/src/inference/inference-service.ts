import type { Principal } from '../auth/index.js';
import type { DeploymentService, RequestRouting } from '../deploy/index.js';
import type { Engine } from '../engine/index.js';
import { toAppError } from '../platform/errors/index.js';
import type { MeterTarget } from '../usage/index.js';
import type { RenderedInferBody } from '../wire/oip/index.js';
import { parseInferRequest } from '../wire/oip/index.js';
import { forwardInfer } from './forward-infer.js';
import { type InferenceRecorders, recordFailure, recordSuccess } from './record-inference.js';
import { renderOutputs } from './render-outputs.js';

/** The part of a request's usage meter inference uses. */
export interface InferenceMeter {
  reach(target: MeterTarget): Promise<void>;
  timing(queueMs: number, computeMs: number): void;
}

/** One OIP infer request as the protocol route read it. */
export interface InferenceCall {
  principal: Principal;
  /** The deployment named in the path, and the version when the path has one. */
  name: string;
  version: string | undefined;
  body: Buffer;
  /** `Inference-Header-Content-Length`: set when the body is binary OIP. */
  headerLength: number | undefined;
  meter: InferenceMeter | null;
  /** The request's variant hints; told where it was routed. */
  routing?: RequestRouting | undefined;
  /** Aborted when the caller goes away. */
  signal: AbortSignal;
}

/** The rendered answer and what the runner reported of its time. */
export interface InferenceAnswer extends RenderedInferBody {
  queueMs: number;
  computeMs: number;
}

export interface InferenceDeps extends InferenceRecorders {
  deployments: DeploymentService;
  engine: Engine;
}

/**
 * Tensor inference without HTTP: route the request to its deployment's pool (once), decode it,
 * meter it, forward it to an instance, render the outputs as asked, and record statistics and
 * metrics of every request that reached a pool.
 */
export function createInferenceService(deps: InferenceDeps) {
  return {
    async infer(call: InferenceCall): Promise<InferenceAnswer> {
      const { pool } = await deps.deployments.servingPool(call.principal, call.name, call.version, {
        routing: call.routing,
      });
      const { plan } = pool;
      const labels = { model: call.name, version: String(plan.version) };
      const startedAt = performance.now();
      try {
        const { body, headerLength } = call;
        const parsed = parseInferRequest(body, headerLength);
        await call.meter?.reach({
          deployment: call.name,
          model: plan.modelName,
          version: plan.version,
          endpoint: 'oip.infer',
        });
        const result = await forwardInfer(
          deps.engine,
          pool,
          {
            ...(parsed.id === undefined ? {} : { id: parsed.id }),
            inputs: parsed.inputs,
            ...(parsed.outputs ? { outputs: parsed.outputs.map((o) => o.name) } : {}),
          },
          plan.settings.timeoutMs,
          call.signal,
          headerLength === undefined ? undefined : { body, headerLength },
        );
        const answeredAt = performance.now();
        const rendered = renderOutputs(parsed, result, { name: call.name, version: labels.version });
        const renderedAt = performance.now();
        call.meter?.timing(result.queueMs, result.computeMs);
        const rows = pool.info?.batchable ? (parsed.inputs[0]?.shape[0] ?? 1) : 1;
        recordSuccess(deps, labels, result, rows, { startedAt, answeredAt, renderedAt });
        return { ...rendered, queueMs: result.queueMs, computeMs: result.computeMs };
      } catch (err) {
        recordFailure(deps, labels, toAppError(err).code, startedAt);
        throw err;
      }
    },
  };
}

export type InferenceService = ReturnType<typeof createInferenceService>;
