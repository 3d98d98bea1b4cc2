import { binaryBodyError } from './codec-errors.js';

const PREFIX_BYTES = 4;

/** Byte length of BYTES elements on the wire: each is a 4-byte little-endian length, then the bytes. */
export function bytesElementsSize(elements: readonly Uint8Array[]): number {
  let size = 0;
  for (const element of elements) size += PREFIX_BYTES + element.length;
  return size;
}

export function encodeBytesElements(elements: readonly Uint8Array[]): Buffer {
  const out = Buffer.allocUnsafe(bytesElementsSize(elements));
  let offset = 0;
  for (const element of elements) {
    out.writeUInt32LE(element.length, offset);
    out.set(element, offset + PREFIX_BYTES);
    offset += PREFIX_BYTES + element.length;
  }
  return out;
}

/**
 * Reads exactly `count` length-prefixed elements that must fill `buf` exactly. The elements are
 * views into `buf`, not copies.
 */
export function decodeBytesElements(buf: Uint8Array, count: number, label: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let offset = 0;
  while (offset < buf.length) {
    if (out.length === count)
      throw binaryBodyError(
        `${label}: ${buf.length - offset} bytes are left after its ${count} BYTES elements.`,
      );
    if (offset + PREFIX_BYTES > buf.length)
      throw binaryBodyError(
        `${label}: BYTES element ${out.length} has a truncated length prefix at byte ${offset} of ${buf.length}.`,
      );
    const length = view.getUint32(offset, true);
    const start = offset + PREFIX_BYTES;
    if (start + length > buf.length)
      throw binaryBodyError(
        `${label}: BYTES element ${out.length} claims ${length} bytes at byte ${start}, past the end of its ${buf.length} bytes.`,
      );
    out.push(new Uint8Array(buf.buffer, buf.byteOffset + start, length));
    offset = start + length;
  }
  if (out.length !== count)
    throw binaryBodyError(`${label}: shape needs ${count} BYTES elements, binary data has ${out.length}.`);
  return out;
}
