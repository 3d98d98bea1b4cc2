import type { Tensor, TensorData } from '../../wire/index.js';
import type { FakeOp } from './fake-options.js';

type NumberArray = Exclude<TensorData, Uint8Array[] | BigInt64Array | BigUint64Array>;

/**
 * Applies the op elementwise with the array's own wrap-around. BOOL, FP16 (raw half bits) and
 * BYTES pass through unchanged: arithmetic on their storage would not mean the op.
 */
export function applyOp(op: FakeOp, tensor: Tensor): TensorData {
  const { datatype, data } = tensor;
  if (op === 'identity' || datatype === 'BOOL' || datatype === 'FP16' || datatype === 'BYTES') {
    return Array.isArray(data) ? [...data] : data.slice();
  }
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = data.slice();
    for (let i = 0; i < out.length; i++) out[i] = op === 'add1' ? (data[i] ?? 0n) + 1n : (data[i] ?? 0n) * 2n;
    return out;
  }
  const numbers = data as NumberArray;
  const out = numbers.slice();
  for (let i = 0; i < out.length; i++) out[i] = op === 'add1' ? (numbers[i] ?? 0) + 1 : (numbers[i] ?? 0) * 2;
  return out;
}

/** Whether any element of the tensor equals `value` (numbers by value, strings against BYTES). */
export function containsValue(tensor: Tensor, value: number | string): boolean {
  const data = tensor.data;
  if (Array.isArray(data)) {
    if (typeof value !== 'string') return false;
    const decoder = new TextDecoder();
    return data.some((bytes) => decoder.decode(bytes) === value);
  }
  if (typeof value === 'string') return false;
  for (const v of data) if (Number(v) === value) return true;
  return false;
}
