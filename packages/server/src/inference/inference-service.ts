import type { Principal } from '../auth/index.js';
import type { ChainLink, DeploymentService, RequestRouting } from '../deploy/index.js';
import type { Engine } from '../engine/index.js';
import { toAppError } from '../platform/errors/index.js';
import type { MeterTarget } from '../usage/index.js';
import type { RenderedInferBody } from '../wire/oip/index.js';
import { type ParsedInferRequest, parseInferRequest } from '../wire/oip/index.js';
import { admitEarly } from './admit-early.js';
import { forwardInfer } from './forward-infer.js';
import { type InferenceRecorders, poolRecorders, recordFailure, recordSuccess } from './record-inference.js';
import { renderOutputs } from './render-outputs.js';

/** The part of a request's usage meter inference uses. */
export interface InferenceMeter {
  reach(target: MeterTarget): Promise<void>;
  /** The deployment of the chain doing the work (the row names it). */
  servedBy(served: Pick<MeterTarget, 'deployment' | 'model' | 'version'>): void;
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
 * Tensor inference without HTTP: route the request to its deployment's pool (once per deployment
 * of its failover chain), decode it, meter it, forward it to an instance, render the outputs as
 * asked, and record statistics and metrics of every attempt that reached a pool (under the
 * deployment it reached). A failure before the answer goes to the chain's next deployment.
 */
export function createInferenceService(deps: InferenceDeps) {
  const recorderOf = poolRecorders(deps);

  /** One attempt on one deployment of the chain. */
  async function attempt(call: InferenceCall, parsed: ParsedInferRequest, link: ChainLink) {
    const { pool } = link;
    const { plan } = pool;
    const recorder = recorderOf(pool);
    const startedAt = performance.now();
    try {
      call.meter?.servedBy(recorder.served);
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
        call.headerLength === undefined ? undefined : { body: call.body, headerLength: call.headerLength },
      );
      const answeredAt = performance.now();
      const rendered = renderOutputs(parsed, result, recorder.model);
      const renderedAt = performance.now();
      call.meter?.timing(result.queueMs, result.computeMs);
      const rows = pool.info?.batchable ? (parsed.inputs[0]?.shape[0] ?? 1) : 1;
      recordSuccess(recorder, result, rows, startedAt, answeredAt, renderedAt);
      return { ...rendered, queueMs: result.queueMs, computeMs: result.computeMs };
    } catch (err) {
      recordFailure(recorder, toAppError(err).code, startedAt);
      throw err;
    }
  }

  return {
    /** Refusals that need no body (see admit-early.ts); the route asks before it reads one. */
    admit: (principal: Principal, name: string) => admitEarly(deps.deployments, deps.engine, principal, name),

    async infer(call: InferenceCall): Promise<InferenceAnswer> {
      const chain = await deps.deployments.servingChain(call.principal, call.name, {
        version: call.version,
        routing: call.routing,
        kind: 'tensor',
        signal: call.signal,
      });
      const startedAt = performance.now();
      let parsed: ParsedInferRequest;
      try {
        parsed = parseInferRequest(call.body, call.headerLength);
        const { plan } = chain.current.pool;
        // The named deployment's limits apply, once, whichever deployment of the chain answers.
        await call.meter?.reach({
          deployment: call.name,
          model: plan.modelName,
          version: plan.version,
          endpoint: 'oip.infer',
        });
      } catch (err) {
        recordFailure(recorderOf(chain.current.pool), toAppError(err).code, startedAt);
        throw err;
      }
      return chain.run((link) => attempt(call, parsed, link));
    },
  };
}

export type InferenceService = ReturnType<typeof createInferenceService>;
