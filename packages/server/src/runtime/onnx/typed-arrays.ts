import type { Datatype } from '../spec.js';

type NumericDatatype = Exclude<Datatype, 'BYTES'>;

type ArrayClass = abstract new (...args: never[]) => ArrayBufferView;

/** The array class each numeric datatype is stored in (see TensorDataMap). */
export const arrayClassOf: Readonly<Record<NumericDatatype, ArrayClass>> = {
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

/** The class name of a value's array, for error messages. */
export function arrayKind(data: unknown): string {
  if (Array.isArray(data)) return 'Array';
  if (ArrayBuffer.isView(data)) return data.constructor.name;
  return typeof data;
}

/**
 * Whether `data` is stored the way `datatype` requires. Exact class match: a Buffer is a Uint8Array
 * subclass and is fine, but a Uint8Array is not an Int8Array even though both hold bytes.
 */
export function hasStorageOf(datatype: Datatype, data: unknown): boolean {
  if (datatype === 'BYTES') return Array.isArray(data) && data.every((v) => v instanceof Uint8Array);
  return data instanceof arrayClassOf[datatype];
}
