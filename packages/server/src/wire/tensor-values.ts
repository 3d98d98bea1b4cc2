import { AppError } from '../platform/errors/index.js';
import { halfToFloat } from './oip/index.js';
import type { Tensor } from './tensor.js';

/** The model's answer tensor by name; a model that omits it is a server fault, not the caller's. */
export function outputNamed(outputs: readonly Tensor[], name: string): Tensor {
  const found = outputs.find((t) => t.name === name);
  if (!found) throw new AppError('internal_error', `The model returned no output '${name}'.`);
  return found;
}

/** Every element as a double: FP16 from its half bits, 64-bit integers through Number. */
export function tensorValues(tensor: Tensor): Float64Array {
  switch (tensor.datatype) {
    case 'BYTES':
      throw new AppError('internal_error', `Output '${tensor.name}' holds BYTES, not numbers.`);
    case 'FP16':
      return Float64Array.from(tensor.data as Uint16Array, halfToFloat);
    case 'INT64':
    case 'UINT64':
      return Float64Array.from(tensor.data as BigInt64Array, Number);
    default:
      return Float64Array.from(tensor.data as Float32Array);
  }
}
