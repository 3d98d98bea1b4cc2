import type { Datatype, TensorData } from './tensor.js';

export type NumericDatatype = Exclude<Datatype, 'BYTES'>;
export type NumericArray = Exclude<TensorData, Uint8Array[]>;

export interface NumericArrayClass {
  readonly BYTES_PER_ELEMENT: number;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): NumericArray;
}

/** The array class each numeric datatype is stored in (see TensorDataMap); the one table of it. */
export const numericArrayClass: Readonly<Record<NumericDatatype, NumericArrayClass>> = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  UINT64: BigUint64Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP16: Uint16Array,
  FP32: Float32Array,
  FP64: Float64Array,
};
