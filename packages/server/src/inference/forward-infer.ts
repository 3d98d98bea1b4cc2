import type { Engine, InstancePool } from '../engine/index.js';
import { runnerError } from '../engine/index.js';
import type { Tensor } from '../wire/index.js';
import { encodeInferRequest, parseInferResponse } from '../wire/oip/index.js';

export interface ForwardResult {
  /** The runner's answer as sent: binary OIP with every output binary. */
  body: Buffer;
  headerLength: number;
  /** The outputs decoded, for callers that re-render them. */
  outputs(): Tensor[];
  queueMs: number;
  computeMs: number;
  batchSize: number;
  /** Requests merged into the run this one joined. */
  batchRequests: number;
}

/**
 * Sends tensors to an instance of the pool the request was routed to, as binary OIP, and maps its
 * answer back (errors keep their code). A request that already arrived as binary OIP is passed on
 * as it came, validated but not re-encoded.
 */
export async function forwardInfer(
  engine: Engine,
  pool: InstancePool,
  request: { id?: string; inputs: Tensor[]; outputs?: string[] },
  timeoutMs: number,
  signal?: AbortSignal,
  asReceived?: { body: Buffer; headerLength: number },
): Promise<ForwardResult> {
  const encoded = asReceived ?? encodeInferRequest(request, { binary: true });
  const reply = await engine.forward(pool, `/v2/models/${pool.plan.name}/infer`, {
    body: encoded.body,
    headerLength: encoded.headerLength,
    timeoutMs,
    ...(signal ? { signal } : {}),
  });
  if (reply.status !== 200) throw runnerError(reply.status, reply.body.toString('utf8'));
  const headerLength = Number(reply.headers['inference-header-content-length'] ?? reply.body.length);
  return {
    body: reply.body,
    headerLength,
    outputs: () => parseInferResponse(reply.body, headerLength).outputs,
    queueMs: Number(reply.headers['x-queue-ms'] ?? 0),
    computeMs: Number(reply.headers['x-compute-ms'] ?? 0),
    batchSize: Number(reply.headers['x-batch-size'] ?? 1),
    batchRequests: Number(reply.headers['x-batch-requests'] ?? 1),
  };
}
