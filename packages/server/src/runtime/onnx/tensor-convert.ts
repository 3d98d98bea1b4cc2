import * as ort from 'onnxruntime-node';
import { AppError } from '../../platform/errors/index.js';
import type { Tensor, TensorData } from '../../wire/index.js';
import { datatypeOfOrtType, ortTypeOf } from './ort-datatypes.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** ORT string tensors take JS strings; bytes that are not UTF-8 would be silently mangled, so refuse them. */
function decodeStrings(tensor: Tensor<'BYTES'>): string[] {
  return tensor.data.map((bytes, i) => {
    try {
      return utf8.decode(bytes);
    } catch {
      throw new AppError('invalid_tensor', `input ${tensor.name} element ${i} is not valid UTF-8`, {
        param: tensor.name,
      });
    }
  });
}

/**
 * Our tensor → an onnxruntime tensor. Numeric typed arrays are passed as they are, with no JS-side
 * copy; FP16 goes as raw half bits in a Uint16Array, which the Node binding accepts for 'float16'.
 */
export function toOrtTensor(tensor: Tensor): ort.Tensor {
  if (tensor.datatype === 'BYTES') {
    return new ort.Tensor('string', decodeStrings(tensor as Tensor<'BYTES'>), tensor.shape);
  }
  return new ort.Tensor(ortTypeOf[tensor.datatype], tensor.data as ort.Tensor.DataType, tensor.shape);
}

/** Raw half bits whatever array ORT used: a Float16Array (where the runtime has one) is reinterpreted. */
function halfBits(data: ArrayBufferView): Uint16Array {
  if (data instanceof Uint16Array) return data;
  return new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
}

/**
 * An onnxruntime output → our tensor. The Node binding gives each output its own ArrayBuffer that
 * outlives the run and the session, so numeric data is used as is; only strings are re-encoded.
 */
export function fromOrtTensor(name: string, value: ort.Tensor): Tensor {
  const datatype = datatypeOfOrtType(value.type);
  if (datatype === undefined) throw new Error(`output ${name} has unsupported type ${value.type}`);
  const shape = [...value.dims];
  let data: TensorData;
  if (datatype === 'BYTES') data = (value.data as string[]).map((s) => encoder.encode(s));
  else if (datatype === 'FP16') data = halfBits(value.data as ArrayBufferView);
  else data = value.data as TensorData;
  return { name, datatype, shape, data };
}
