import type { GgufMetadata } from '@modelport/contracts';
import { AppError } from '../platform/errors/index.js';
import { FileReader } from './file-reader.js';
import { fileTypeName } from './ggml-types.js';
import { type GgufKv, readKvTable } from './gguf-kv.js';
import {
  checkTensorData,
  dominantType,
  MAX_TENSOR_COUNT,
  MIN_TENSOR_INFO_BYTES,
  readTensorTable,
} from './gguf-tensors.js';

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const DEFAULT_ALIGNMENT = 32;

function invalid(message: string): AppError {
  return new AppError('invalid_artifact', `Invalid GGUF: ${message}`);
}

interface Header {
  version: number;
  tensorCount: number;
  kvCount: bigint;
}

async function readHeader(r: FileReader): Promise<Header> {
  if ((await r.readU32()) !== GGUF_MAGIC) throw invalid('missing GGUF magic');
  const version = await r.readU32();
  // Version 1 used 32-bit counts and is long obsolete; llama.cpp no longer reads it either.
  if (version !== 2 && version !== 3) throw invalid(`version ${version} is not supported (only 2 and 3)`);
  const tensorCount = await r.readU64();
  const kvCount = await r.readU64();
  if (tensorCount > BigInt(MAX_TENSOR_COUNT)) {
    throw invalid(`${tensorCount} tensors exceed the limit of ${MAX_TENSOR_COUNT}`);
  }
  if (tensorCount > BigInt(Math.floor(r.remaining / MIN_TENSOR_INFO_BYTES))) {
    throw invalid(`${tensorCount} tensors do not fit in the file`);
  }
  return { version, tensorCount: Number(tensorCount), kvCount };
}

function alignmentOf(kv: GgufKv): number {
  const value = kv.integers.get('general.alignment');
  if (value === undefined) return DEFAULT_ALIGNMENT;
  if (value === 0n || (value & (value - 1n)) !== 0n) {
    throw invalid(`general.alignment ${value} is not a power of two`);
  }
  return Number(value);
}

function optionalNumber(kv: GgufKv, key: string | null): number | null {
  if (key === null) return null;
  const value = kv.integers.get(key);
  if (value === undefined || value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(value);
}

/**
 * Validates a GGUF file (v2/v3) and reads its summary without loading it: header, metadata table
 * (big arrays such as the tokenizer vocabulary are skipped, not kept), tensor table and the bounds of
 * every tensor's data.
 */
export async function inspectGguf(filePath: string): Promise<GgufMetadata> {
  return FileReader.with(filePath, async (r) => {
    const header = await readHeader(r);
    const kv = await readKvTable(r, header.kvCount);
    const alignment = alignmentOf(kv);
    const table = await readTensorTable(r, header.tensorCount);
    const dataStart = Math.ceil(r.position / alignment) * alignment;
    if (header.tensorCount > 0 && dataStart > r.size) throw invalid('data section starts past the end');
    checkTensorData(table, dataStart, r.size, alignment);

    const architecture = kv.strings.get('general.architecture') ?? null;
    const fileType = optionalNumber(kv, 'general.file_type');
    const archKey = (suffix: string) => (architecture === null ? null : `${architecture}.${suffix}`);
    return {
      ggufVersion: header.version,
      architecture,
      name: kv.strings.get('general.name') ?? null,
      contextLength: optionalNumber(kv, archKey('context_length')),
      embeddingLength: optionalNumber(kv, archKey('embedding_length')),
      blockCount: optionalNumber(kv, archKey('block_count')),
      parameterCount: table.parameterCount,
      tensorCount: header.tensorCount,
      quantization: (fileType === null ? undefined : fileTypeName(fileType)) ?? dominantType(table),
      hasChatTemplate: kv.present.has('tokenizer.chat_template'),
    };
  });
}
