import type { Datatype } from '../../wire/index.js';
import { numericArrayClass } from '../../wire/index.js';

/** The array class each numeric datatype is stored in (see TensorDataMap). */
export const arrayClassOf = numericArrayClass;

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
