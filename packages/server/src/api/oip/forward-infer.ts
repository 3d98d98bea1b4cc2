import type { Engine } from '../../engine/engine.js';
import type { InstancePool } from '../../engine/instance-pool.js';
import { runnerError } from '../../engine/runner-error.js';
import type { Tensor } from '../../runtime/spec.js';
import { encodeInferRequest, parseInferResponse } from './codec/index.js';

export interface ForwardResult {
  outputs: Tensor[];
  queueMs: number;
  computeMs: number;
  batchSize: number;
}

/** Sends parsed tensors to a runner as binary OIP and maps its answer back (errors keep their code). */
export async function forwardInfer(
  engine: Engine,
  pool: InstancePool,
  request: { id?: string; inputs: Tensor[]; outputs?: string[] },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ForwardResult> {
  const encoded = encodeInferRequest(request, { binary: true });
  const reply = await engine.forward(pool.plan.deploymentId, `/v2/models/${pool.plan.name}/infer`, {
    body: encoded.body,
    headerLength: encoded.headerLength,
    timeoutMs,
    ...(signal ? { signal } : {}),
  });
  if (reply.status !== 200) throw runnerError(reply.status, reply.body.toString('utf8'));
  const header = reply.headers['inference-header-content-length'];
  const parsed = parseInferResponse(reply.body, header === undefined ? undefined : Number(header));
  return {
    outputs: parsed.outputs,
    queueMs: Number(reply.headers['x-queue-ms'] ?? 0),
    computeMs: Number(reply.headers['x-compute-ms'] ?? 0),
    batchSize: Number(reply.headers['x-batch-size'] ?? 1),
  };
}
