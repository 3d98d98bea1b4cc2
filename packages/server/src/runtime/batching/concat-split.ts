import type { Tensor, TensorData } from '../../wire/index.js';
import { type NumericArray, numericArrayClass } from '../../wire/index.js';

/** Views are rebuilt over fresh byte buffers, so one byte-level copy path serves every numeric type. */
const viewClassOf = numericArrayClass;

function bytesOf(data: NumericArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Elements in one row: the product of every dimension after the first. */
export function rowElements(shape: readonly number[]): number {
  return shape.slice(1).reduce((n, d) => n * d, 1);
}

function sameRowShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => i === 0 || d === b[i]);
}

/** Stacks tensors of one name and datatype along dim 0; every other dimension must agree. */
export function concatRows(parts: readonly Tensor[]): Tensor {
  const first = parts[0];
  if (!first) throw new Error('concatRows needs at least one tensor');
  let rows = 0;
  for (const part of parts) {
    if (part.datatype !== first.datatype || !sameRowShape(part.shape, first.shape) || part.shape.length < 1) {
      throw new Error(`cannot stack '${part.name}': datatype or non-batch dimensions differ`);
    }
    rows += part.shape[0] ?? 0;
  }
  const shape = [rows, ...first.shape.slice(1)];
  if (first.datatype === 'BYTES') {
    const data = parts.flatMap((p) => p.data as Uint8Array[]);
    return { name: first.name, datatype: first.datatype, shape, data };
  }
  const views = parts.map((p) => bytesOf(p.data as NumericArray));
  const out = new Uint8Array(views.reduce((n, v) => n + v.byteLength, 0));
  let offset = 0;
  for (const view of views) {
    out.set(view, offset);
    offset += view.byteLength;
  }
  const data = new viewClassOf[first.datatype](out.buffer);
  return { name: first.name, datatype: first.datatype, shape, data };
}

/** Cuts a tensor along dim 0 into consecutive pieces of `rowCounts` rows: views, not copies (outputs are read once, to render them). */
export function splitRows(tensor: Tensor, rowCounts: readonly number[]): Tensor[] {
  const total = rowCounts.reduce((n, r) => n + r, 0);
  if (tensor.shape.length < 1 || tensor.shape[0] !== total) {
    throw new Error(`cannot split '${tensor.name}' of shape [${tensor.shape}] into ${total} rows`);
  }
  const perRow = rowElements(tensor.shape);
  const rest = tensor.shape.slice(1);
  const pieces: Tensor[] = [];
  let start = 0;
  for (const rows of rowCounts) {
    const from = start * perRow;
    const to = (start + rows) * perRow;
    pieces.push({ ...tensor, shape: [rows, ...rest], data: sliceData(tensor, from, to) });
    start += rows;
  }
  return pieces;
}

function sliceData(tensor: Tensor, from: number, to: number): TensorData {
  if (tensor.datatype === 'BYTES') return (tensor.data as Uint8Array[]).slice(from, to);
  const data = tensor.data as NumericArray;
  return new viewClassOf[tensor.datatype](
    data.buffer,
    data.byteOffset + from * data.BYTES_PER_ELEMENT,
    to - from,
  );
}
