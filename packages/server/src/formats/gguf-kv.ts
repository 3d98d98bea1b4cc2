import { createHash } from 'node:crypto';
import { AppError } from '../platform/errors/index.js';
import type { FileReader } from './file-reader.js';

/** GGUF metadata value types. */
const ValueType = {
  Uint8: 0,
  Int8: 1,
  Uint16: 2,
  Int16: 3,
  Uint32: 4,
  Int32: 5,
  Float32: 6,
  Bool: 7,
  String: 8,
  Array: 9,
  Uint64: 10,
  Int64: 11,
  Float64: 12,
} as const;

const FIXED_SIZES: ReadonlyMap<number, number> = new Map<number, number>([
  [ValueType.Uint8, 1],
  [ValueType.Int8, 1],
  [ValueType.Uint16, 2],
  [ValueType.Int16, 2],
  [ValueType.Uint32, 4],
  [ValueType.Int32, 4],
  [ValueType.Float32, 4],
  [ValueType.Bool, 1],
  [ValueType.Uint64, 8],
  [ValueType.Int64, 8],
  [ValueType.Float64, 8],
]);
/** Smallest encodings: a string is at least its u64 length, an array its type and u64 count. */
const MIN_STRING_BYTES = 8;
const MIN_ARRAY_BYTES = 12;
/** key length + key + value type + smallest value */
const MIN_KV_BYTES = 8 + 4 + 1;

export const MAX_KEY_BYTES = 64 * 1024;
const MAX_STRING_BYTES = 64 * 1024 * 1024;
/** Strings kept for the metadata (architecture, name); longer ones are skipped, not loaded. */
const MAX_KEPT_STRING_BYTES = 64 * 1024;
const MAX_KV_COUNT = 1_000_000;
const MAX_ARRAY_DEPTH = 16;

const KEPT_STRINGS = new Set(['general.architecture', 'general.name']);
const KEPT_INTEGER_SUFFIXES = ['.context_length', '.embedding_length', '.block_count'];
const KEPT_INTEGERS = new Set(['general.alignment', 'general.file_type']);
const PRESENCE_KEYS = new Set(['tokenizer.chat_template']);

export interface GgufKv {
  strings: Map<string, string>;
  integers: Map<string, bigint>;
  present: Set<string>;
}

function invalid(message: string): AppError {
  return new AppError('invalid_artifact', `Invalid GGUF: ${message}`);
}

async function readLength(r: FileReader, max: number, what: string): Promise<number> {
  const length = await r.readU64();
  if (length > BigInt(max)) throw invalid(`${what} length ${length} exceeds the limit of ${max} bytes`);
  const n = Number(length);
  if (n > r.remaining) throw invalid(`${what} length ${n} runs past the end of the file`);
  return n;
}

export async function readGgufString(r: FileReader, max: number, what: string): Promise<string> {
  const n = await readLength(r, max, what);
  return (await r.readBytes(n, max)).toString('utf8');
}

async function skipArray(r: FileReader, depth: number): Promise<void> {
  if (depth > MAX_ARRAY_DEPTH) throw invalid(`arrays nested deeper than ${MAX_ARRAY_DEPTH}`);
  const elementType = await r.readU32();
  const count = await r.readU64();
  const fixed = FIXED_SIZES.get(elementType);
  const minBytes =
    fixed ??
    (elementType === ValueType.String
      ? MIN_STRING_BYTES
      : elementType === ValueType.Array
        ? MIN_ARRAY_BYTES
        : undefined);
  if (minBytes === undefined) throw invalid(`unknown array element type ${elementType}`);
  if (count > BigInt(Math.floor(r.remaining / minBytes))) {
    throw invalid(`array of ${count} elements does not fit in the file`);
  }
  const n = Number(count);
  if (fixed !== undefined) return r.skip(n * fixed);
  for (let i = 0; i < n; i++) {
    if (elementType === ValueType.String) r.skip(await readLength(r, MAX_STRING_BYTES, 'string'));
    else await skipArray(r, depth + 1);
  }
}

async function skipValue(r: FileReader, type: number): Promise<void> {
  const fixed = FIXED_SIZES.get(type);
  if (fixed !== undefined) return r.skip(fixed);
  if (type === ValueType.String) return r.skip(await readLength(r, MAX_STRING_BYTES, 'string'));
  if (type === ValueType.Array) return skipArray(r, 1);
  throw invalid(`unknown value type ${type}`);
}

/** Reads an integer value of any width; undefined (nothing consumed) for non-integer types. */
async function readInteger(r: FileReader, type: number): Promise<bigint | undefined> {
  switch (type) {
    case ValueType.Uint8:
      return BigInt(await r.readU8());
    case ValueType.Int8:
      return BigInt.asIntN(8, BigInt(await r.readU8()));
    case ValueType.Uint16:
      return BigInt(await r.readU16());
    case ValueType.Int16:
      return BigInt.asIntN(16, BigInt(await r.readU16()));
    case ValueType.Uint32:
      return BigInt(await r.readU32());
    case ValueType.Int32:
      return BigInt.asIntN(32, BigInt(await r.readU32()));
    case ValueType.Uint64:
      return r.readU64();
    case ValueType.Int64:
      return BigInt.asIntN(64, await r.readU64());
    default:
      return undefined;
  }
}

function wantsInteger(key: string): boolean {
  return KEPT_INTEGERS.has(key) || KEPT_INTEGER_SUFFIXES.some((suffix) => key.endsWith(suffix));
}

async function readEntry(r: FileReader, key: string, type: number, kv: GgufKv): Promise<void> {
  if (PRESENCE_KEYS.has(key)) kv.present.add(key);
  // llama.cpp refuses any other type for the alignment, so a file with one would not load.
  if (key === 'general.alignment' && type !== ValueType.Uint32) {
    throw invalid(`general.alignment must be a uint32, got value type ${type}`);
  }
  if (KEPT_STRINGS.has(key) && type === ValueType.String) {
    const n = await readLength(r, MAX_STRING_BYTES, key);
    if (n <= MAX_KEPT_STRING_BYTES) kv.strings.set(key, (await r.readBytes(n, n)).toString('utf8'));
    else r.skip(n);
    return;
  }
  if (wantsInteger(key)) {
    const value = await readInteger(r, type);
    if (value !== undefined) {
      kv.integers.set(key, value);
      return;
    }
  }
  await skipValue(r, type);
}

/** Keys are remembered only to refuse duplicates (llama.cpp does); long ones by digest to bound memory. */
function keyFingerprint(key: string): string {
  return key.length <= 64 ? key : `#${createHash('sha256').update(key).digest('base64')}`;
}

/** Reads the metadata table, keeping only the few values the registry reports; payloads are skipped. */
export async function readKvTable(r: FileReader, count: bigint): Promise<GgufKv> {
  if (count > BigInt(MAX_KV_COUNT)) throw invalid(`${count} metadata entries exceed ${MAX_KV_COUNT}`);
  if (count > BigInt(Math.floor(r.remaining / MIN_KV_BYTES))) {
    throw invalid(`${count} metadata entries do not fit in the file`);
  }
  const kv: GgufKv = { strings: new Map(), integers: new Map(), present: new Set() };
  const seen = new Set<string>();
  for (let i = 0; i < Number(count); i++) {
    const key = await readGgufString(r, MAX_KEY_BYTES, 'metadata key');
    const fingerprint = keyFingerprint(key);
    if (seen.has(fingerprint)) throw invalid(`duplicate metadata key '${key.slice(0, 200)}'`);
    seen.add(fingerprint);
    await readEntry(r, key, await r.readU32(), kv);
  }
  return kv;
}
