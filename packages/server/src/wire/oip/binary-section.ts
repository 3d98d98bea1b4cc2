import { binaryBodyError } from './codec-errors.js';
import { elementByteSize } from './tensor-bytes.js';
import type { TensorHeader } from './tensor-header.js';

/**
 * Cuts the bytes after the JSON header into one slice per tensor with `binary_data_size`, in the
 * order the tensors are listed; `undefined` for tensors whose data is in the JSON.
 */
export function sliceBinarySection(
  headers: readonly TensorHeader[],
  binary: Buffer,
  hasBinaryExtension: boolean,
): (Buffer | undefined)[] {
  let total = 0;
  for (const header of headers) {
    if (header.binaryDataSize === undefined) continue;
    if (!hasBinaryExtension)
      throw binaryBodyError(
        `${header.label} sets parameters.binary_data_size but the Inference-Header-Content-Length header is missing.`,
        `${header.param}.parameters.binary_data_size`,
      );
    checkSize(header, header.binaryDataSize);
    total += header.binaryDataSize;
  }
  if (total !== binary.length)
    throw binaryBodyError(
      `The binary_data_size values add up to ${total} bytes but ${binary.length} bytes follow the JSON header.`,
    );
  let offset = 0;
  return headers.map((header) => {
    if (header.binaryDataSize === undefined) return undefined;
    const slice = binary.subarray(offset, offset + header.binaryDataSize);
    offset += header.binaryDataSize;
    return slice;
  });
}

/** BYTES sizes are checked while their length prefixes are read. */
function checkSize(header: TensorHeader, size: number): void {
  const elementSize = elementByteSize(header.datatype);
  if (elementSize === undefined) return;
  const expected = header.count * elementSize;
  if (size !== expected)
    throw binaryBodyError(
      `${header.label}: binary_data_size is ${size} but shape [${header.shape.join(',')}] × ${header.datatype} ` +
        `(${elementSize} bytes) needs ${expected}.`,
      `${header.param}.parameters.binary_data_size`,
    );
}
