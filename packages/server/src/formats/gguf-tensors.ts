import { AppError } from '../platform/errors/index.js';
import { type FileReader, toSafeNumber } from './file-reader.js';
import { GGML_TYPES } from './ggml-types.js';
import { readGgufString } from './gguf-kv.js';

export const MAX_TENSOR_COUNT = 1_000_000;
/** name length + n_dims + type + offset, with no name bytes and no dims. */
export const MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;
const MAX_DIMS = 4;
/** ggml's GGML_MAX_NAME counts the terminating NUL. */
const MAX_NAME_BYTES = 63;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

interface TensorInfo {
  name: string;
  /** Relative to the start of the data section. */
  offset: bigint;
  bytes: bigint;
}

export interface TensorTable {
  tensors: TensorInfo[];
  parameterCount: number;
  /** Element count per ggml type name, to name the dominant type. */
  elementsByType: Map<string, number>;
}

function invalid(message: string): AppError {
  return new AppError('invalid_artifact', `Invalid GGUF: ${message}`);
}

async function readDims(r: FileReader, name: string): Promise<bigint[]> {
  const nDims = await r.readU32();
  if (nDims > MAX_DIMS) throw invalid(`tensor '${name}' has ${nDims} dimensions (at most ${MAX_DIMS})`);
  const dims: bigint[] = [];
  for (let i = 0; i < nDims; i++) {
    const dim = await r.readU64();
    if (dim < 1n) throw invalid(`tensor '${name}' has an empty dimension`);
    dims.push(dim);
  }
  return dims;
}

async function readTensorInfo(r: FileReader, names: Set<string>, table: TensorTable): Promise<void> {
  const name = await readGgufString(r, MAX_NAME_BYTES, 'tensor name');
  if (names.has(name)) throw invalid(`duplicate tensor '${name}'`);
  names.add(name);
  const dims = await readDims(r, name);
  const typeId = await r.readU32();
  const type = GGML_TYPES.get(typeId);
  if (type === undefined) throw invalid(`tensor '${name}' has unknown ggml type ${typeId}`);
  let elements = 1n;
  for (const dim of dims) {
    elements *= dim;
    if (elements > MAX_SAFE) throw invalid(`tensor '${name}' has too many elements`);
  }
  const rowLength = dims[0] ?? 1n;
  if (rowLength % BigInt(type.blockSize) !== 0n) {
    throw invalid(`tensor '${name}' row of ${rowLength} is not a multiple of the ${type.name} block size`);
  }
  const bytes = (elements / BigInt(type.blockSize)) * BigInt(type.typeSize);
  const offset = await r.readU64();
  table.tensors.push({ name, offset, bytes });
  const count = toSafeNumber(elements, 'tensor element count');
  table.parameterCount += count;
  if (!Number.isSafeInteger(table.parameterCount)) throw invalid('parameter count overflows');
  table.elementsByType.set(type.name, (table.elementsByType.get(type.name) ?? 0) + count);
}

export async function readTensorTable(r: FileReader, count: number): Promise<TensorTable> {
  const table: TensorTable = { tensors: [], parameterCount: 0, elementsByType: new Map() };
  const names = new Set<string>();
  for (let i = 0; i < count; i++) await readTensorInfo(r, names, table);
  return table;
}

/** Every tensor must start on the alignment and end inside the file. */
export function checkTensorData(table: TensorTable, dataStart: number, fileSize: number, alignment: number) {
  const size = BigInt(fileSize);
  const start = BigInt(dataStart);
  for (const t of table.tensors) {
    if (t.offset % BigInt(alignment) !== 0n) {
      throw invalid(`tensor '${t.name}' offset ${t.offset} is not a multiple of the alignment ${alignment}`);
    }
    if (start + t.offset + t.bytes > size) {
      throw invalid(
        `tensor '${t.name}' (${t.bytes} bytes at offset ${t.offset}) ends past the end of the file`,
      );
    }
  }
}

export function dominantType(table: TensorTable): string | null {
  let best: string | null = null;
  let bestCount = -1;
  for (const [name, count] of table.elementsByType) {
    if (count > bestCount) {
      best = name;
      bestCount = count;
    }
  }
  return best;
}
