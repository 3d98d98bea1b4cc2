import type { Tensor } from '../wire/index.js';
import { parseInferResponse, tensorToBytes } from '../wire/oip/index.js';
import type { RunnerReply, TensorRequest } from './runner-host.js';
import type { Agreement, Mirror } from './shadow-traffic.js';
import { sendTensors } from './tensor-transport.js';

/**
 * FP32 elements per copy whose differences are summed at most (the first ones of each output): the
 * comparison runs on the API process's event loop, which production requests share (~1 ms).
 */
export const MAX_COMPARED_ELEMENTS = 1 << 20;

/**
 * A binary OIP request sent again to a shadow. The copy reads the production request's bytes
 * without copying them: nothing writes to a request body once received (the route parses it in
 * place, a JSON request is encoded into a new buffer), and copying up to the 64 MiB body limit on
 * the request's path would delay production. The copy goes through the runner's socket, never a
 * shared-memory slot, so it takes no slot production requests need.
 */
export function tensorMirror(path: string, request: TensorRequest): Mirror<RunnerReply> {
  const { body, headerLength } = request;
  return {
    send: (connection, { signal, timeoutMs }) =>
      sendTensors(connection, undefined, path, { body, headerLength, timeoutMs, signal }),
    failed: (reply) => reply.status >= 500,
    compare: compareTensorReplies,
  };
}

/**
 * Two runners' OIP replies: identical when every output has the same name, datatype, shape and
 * bytes; for FP32 outputs of the same size, the absolute differences are summed as well.
 * Undefined when production's reply is no answer (not 200, or unreadable).
 */
export function compareTensorReplies(production: RunnerReply, shadow: RunnerReply): Agreement | undefined {
  const expected = production.status === 200 ? outputsOf(production) : undefined;
  if (!expected) return undefined;
  const actual = shadow.status === 200 ? outputsOf(shadow) : undefined;
  const agreement: Agreement = {
    identical: actual?.length === expected.length,
    absDiffSum: 0,
    absDiffCount: 0,
  };
  if (!actual) return { ...agreement, identical: false };
  for (const want of expected) {
    const got = actual.find((t) => t.name === want.name);
    if (!got || !sameTensor(want, got)) agreement.identical = false;
    if (got) addAbsDiff(agreement, want, got);
  }
  return agreement;
}

function outputsOf(reply: RunnerReply): Tensor[] | undefined {
  const header = reply.headers['inference-header-content-length'];
  const headerLength = typeof header === 'string' ? Number(header) : undefined;
  try {
    return parseInferResponse(reply.body, headerLength).outputs;
  } catch {
    return undefined;
  }
}

function sameTensor(a: Tensor, b: Tensor): boolean {
  return (
    a.datatype === b.datatype &&
    a.shape.length === b.shape.length &&
    a.shape.every((d, i) => d === b.shape[i]) &&
    tensorToBytes(a).equals(tensorToBytes(b))
  );
}

function addAbsDiff(agreement: Agreement, a: Tensor, b: Tensor): void {
  if (a.datatype !== 'FP32' || b.datatype !== 'FP32') return;
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  if (x.length !== y.length) return;
  const n = Math.min(x.length, MAX_COMPARED_ELEMENTS - agreement.absDiffCount);
  let sum = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    const diff = Math.abs((x[i] ?? 0) - (y[i] ?? 0));
    // NaN or infinite on either side: no distance to average.
    if (!Number.isFinite(diff)) continue;
    sum += diff;
    counted++;
  }
  agreement.absDiffSum += sum;
  agreement.absDiffCount += counted;
}
