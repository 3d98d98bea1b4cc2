import { type DeclaredDatatype, declaredDatatypes, numericArrayClass } from '../wire/index.js';
import { onnxElemType } from './onnx-types.js';

/** Open Inference Protocol datatype names, the vocabulary the rest of the platform speaks. */
export type OipDatatype = DeclaredDatatype;

/**
 * Values of a tensor: the typed array matching its datatype. FP16 and BF16 take their raw bit
 * patterns as Uint16Array (Node 20 has no Float16Array); BOOL takes 0/1 bytes or booleans; BYTES
 * takes strings (UTF-8 encoded) or raw byte strings.
 */
export type TensorData =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array
  | readonly boolean[]
  | readonly (string | Uint8Array)[];

interface DatatypeInfo {
  onnx: number;
  /** Array class holding the values; BYTES has none (strings go to string_data, not raw_data). */
  array: TypedArrayClass | null;
}

type TypedArrayClass = (typeof numericArrayClass)[keyof typeof numericArrayClass];

export const oipDatatypes: OipDatatype[] = [...declaredDatatypes];

export function datatypeInfo(datatype: OipDatatype): DatatypeInfo {
  if (!declaredDatatypes.includes(datatype)) throw new Error(`unknown datatype ${JSON.stringify(datatype)}`);
  // BF16 is stored as its raw bit patterns, like FP16.
  const array = datatype === 'BYTES' ? null : datatype === 'BF16' ? Uint16Array : numericArrayClass[datatype];
  return { onnx: onnxElemType(datatype), array };
}
