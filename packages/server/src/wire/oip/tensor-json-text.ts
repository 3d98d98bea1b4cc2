import { AppError } from '../../platform/errors/index.js';
import type { Tensor, TensorData } from '../tensor.js';
import { halfToFloat } from './half-to-float.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The tensor's data as a flat JSON array text. Typed arrays go through `join`, which writes
 * exact shortest round-trip digits (BigInt included) without a per-element object.
 */
export function tensorDataJsonText(tensor: Tensor, label: string): string {
  switch (tensor.datatype) {
    case 'BOOL':
      return `[${Array.from(tensor.data as Uint8Array, (b) => (b ? 'true' : 'false')).join(',')}]`;
    case 'FP16':
      return floatsJsonText(Array.from(tensor.data as Uint16Array, halfToFloat));
    case 'FP32':
    case 'FP64':
      return floatsJsonText(tensor.data as Float32Array | Float64Array);
    case 'BYTES':
      return bytesJsonText(tensor.data as Uint8Array[], label);
    default:
      return `[${(tensor.data as Exclude<TensorData, Uint8Array[]>).join(',')}]`;
  }
}

/** Joins floats; NaN, ±Infinity and −0 (which `join` cannot write in JSON) take the slow path. */
function floatsJsonText(values: ArrayLike<number> & { join(sep: string): string }): string {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v) || (v === 0 && 1 / v < 0))
      return `[${Array.from(values, floatJsonText).join(',')}]`;
  }
  return `[${values.join(',')}]`;
}

/** NaN and ±Infinity as strings, as proto3 JSON writes them (JSON has no literal for them). */
function floatJsonText(v: number): string {
  if (Number.isNaN(v)) return '"NaN"';
  if (v === Number.POSITIVE_INFINITY) return '"Infinity"';
  if (v === Number.NEGATIVE_INFINITY) return '"-Infinity"';
  return v === 0 && 1 / v < 0 ? '-0' : String(v);
}

function bytesJsonText(elements: readonly Uint8Array[], label: string): string {
  const parts = elements.map((element, i) => {
    try {
      return JSON.stringify(utf8.decode(element));
    } catch {
      throw new AppError(
        'bad_request',
        `${label}: BYTES element ${i} is not valid UTF-8, so JSON cannot carry it; request the output with parameters.binary_data=true.`,
      );
    }
  });
  return `[${parts.join(',')}]`;
}

/** One tensor object of `inputs` / `outputs`; `rest` is its `data` or `parameters` member. */
export function tensorJsonText(tensor: Tensor, rest: string): string {
  return (
    `{"name":${JSON.stringify(tensor.name)},"datatype":"${tensor.datatype}",` +
    `"shape":[${tensor.shape.join(',')}],${rest}}`
  );
}
