import { endianness } from 'node:os';
import { AppError } from '../../platform/errors/index.js';
import type { Datatype, Tensor, TensorData } from '../tensor.js';
import { numericArrayClass } from '../tensor-arrays.js';
import { bytesElementsSize, decodeBytesElements, encodeBytesElements } from './bytes-elements.js';
import { binaryBodyError, tensorError } from './codec-errors.js';

const littleEndianHost = endianness() === 'LE';

const arrayTypes = numericArrayClass;

/** Bytes per element, or undefined for BYTES (variable length). */
export function elementByteSize(datatype: Datatype): number | undefined {
  return datatype === 'BYTES' ? undefined : arrayTypes[datatype].BYTES_PER_ELEMENT;
}

export function elementCountOf(shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) count *= dim;
  return count;
}

/** Size of the tensor's data in the binary tensor extension. */
export function tensorByteSize(tensor: Tensor): number {
  if (tensor.datatype === 'BYTES') return bytesElementsSize(tensor.data as Uint8Array[]);
  return (tensor.data as Exclude<TensorData, Uint8Array[]>).byteLength;
}

/** The tensor's data as little-endian bytes; a view of the same memory where the host allows. */
export function tensorToBytes(tensor: Tensor): Buffer {
  if (tensor.datatype === 'BYTES') return encodeBytesElements(tensor.data as Uint8Array[]);
  const data = tensor.data as Exclude<TensorData, Uint8Array[]>;
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return littleEndianHost ? view : swapToHost(Buffer.from(view), data.BYTES_PER_ELEMENT);
}

/** Typed data from little-endian bytes, which must hold exactly `count` elements. */
export function bytesToTensorData(
  datatype: Datatype,
  buf: Uint8Array,
  count: number,
  label = 'Tensor',
): TensorData {
  if (datatype === 'BYTES') return decodeBytesElements(buf, count, label);
  const type = arrayTypes[datatype];
  const expected = count * type.BYTES_PER_ELEMENT;
  if (buf.byteLength !== expected)
    throw binaryBodyError(
      `${label}: ${buf.byteLength} bytes do not match ${count} ${datatype} elements × ${type.BYTES_PER_ELEMENT} bytes = ${expected}.`,
    );
  const data =
    littleEndianHost && buf.byteOffset % type.BYTES_PER_ELEMENT === 0
      ? new type(buf.buffer, buf.byteOffset, count)
      : new type(alignedCopy(buf, type.BYTES_PER_ELEMENT), 0, count);
  if (datatype === 'BOOL') assertBooleanBytes(data as Uint8Array, label);
  return data;
}

/** Copies into a fresh buffer (offset 0, so aligned for every typed array), in host byte order. */
function alignedCopy(buf: Uint8Array, elementSize: number): ArrayBuffer {
  const copy = new Uint8Array(new ArrayBuffer(buf.byteLength));
  copy.set(buf);
  if (!littleEndianHost) swapToHost(Buffer.from(copy.buffer), elementSize);
  return copy.buffer;
}

function swapToHost(buf: Buffer, elementSize: number): Buffer {
  if (elementSize === 2) return buf.swap16();
  if (elementSize === 4) return buf.swap32();
  if (elementSize === 8) return buf.swap64();
  return buf;
}

function assertBooleanBytes(data: Uint8Array, label: string): void {
  const bad = data.findIndex((b) => b > 1);
  if (bad !== -1)
    throw tensorError(`${label}: BOOL element ${bad} is byte ${data[bad]}; only 0 and 1 are allowed.`);
}

/** Guards against a backend returning data whose length disagrees with its shape. */
export function assertDataMatchesShape(tensor: Tensor, label: string): void {
  const count = elementCountOf(tensor.shape);
  if (tensor.data.length !== count)
    throw new AppError(
      'internal_error',
      `${label}: shape [${tensor.shape.join(',')}] needs ${count} elements, data has ${tensor.data.length}.`,
    );
}
