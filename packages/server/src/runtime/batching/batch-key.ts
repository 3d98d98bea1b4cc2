import type { InferRequest, Tensor } from '../../wire/index.js';

export interface BatchShape {
  /** Rows the request contributes: the shared leading dimension of its inputs. */
  rows: number;
  /** Equal keys mean the requests can be stacked: same inputs, datatypes, non-batch dims, outputs. */
  key: string;
}

function elementCount(tensor: Tensor): number {
  return tensor.shape.reduce((n, d) => n * d, 1);
}

/** A tensor whose data length disagrees with its shape would shift every later request's rows. */
function isWellFormed(tensor: Tensor): boolean {
  return (
    tensor.shape.length >= 1 &&
    tensor.shape.every((d) => Number.isInteger(d) && d >= 0) &&
    tensor.data.length === elementCount(tensor)
  );
}

/**
 * Where a request can join a batch, or `undefined` when it must run alone (then the model itself
 * reports whatever is wrong with it, without failing anyone else's request).
 */
export function batchShapeOf(request: InferRequest): BatchShape | undefined {
  const inputs = [...request.inputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rows = inputs[0]?.shape[0];
  if (rows === undefined) return undefined;
  const names = new Set<string>();
  for (const input of inputs) {
    if (!isWellFormed(input) || input.shape[0] !== rows || names.has(input.name)) return undefined;
    names.add(input.name);
  }
  const signature = inputs.map((t) => [t.name, t.datatype, t.shape.slice(1)]);
  return { rows, key: JSON.stringify([signature, request.outputs ?? null]) };
}
