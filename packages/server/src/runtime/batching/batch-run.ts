import type { InferRequest, InferResponse, Tensor } from '../../wire/index.js';
import type { TensorModel } from '../contract.js';
import { concatRows, splitRows } from './concat-split.js';

function inputNamed(request: InferRequest, name: string): Tensor {
  const tensor = request.inputs.find((t) => t.name === name);
  if (!tensor) throw new Error(`batched request lacks input '${name}'`);
  return tensor;
}

/** Stacks every request's inputs along dim 0 into one request (they share a batch key). */
function mergeRequests(requests: readonly InferRequest[]): InferRequest {
  const first = requests[0];
  if (!first) throw new Error('cannot merge an empty batch');
  const inputs = first.inputs.map((t) => concatRows(requests.map((r) => inputNamed(r, t.name))));
  return { inputs, ...(first.outputs ? { outputs: first.outputs } : {}) };
}

/** Gives each request its own rows of every output, in the order the requests were stacked. */
function splitResponse(response: InferResponse, rowCounts: readonly number[]): InferResponse[] {
  const pieces = response.outputs.map((output) => splitRows(output, rowCounts));
  return rowCounts.map((_, i) => ({
    outputs: pieces.map((perRequest) => {
      const piece = perRequest[i];
      if (!piece) throw new Error('output split lost a request');
      return piece;
    }),
  }));
}

/** Runs a batch as one inference; a batch of one is passed through untouched. */
export async function runBatch(
  model: TensorModel,
  requests: readonly InferRequest[],
  rowCounts: readonly number[],
): Promise<InferResponse[]> {
  const only = requests[0];
  if (requests.length === 1 && only) return [await model.infer(only)];
  const response = await model.infer(mergeRequests(requests));
  return splitResponse(response, rowCounts);
}
