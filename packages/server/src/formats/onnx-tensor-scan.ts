import onnxProto from 'onnx-proto';
import type { FileReader } from './file-reader.js';
import { tensorBytes } from './onnx-types.js';
import { badProto, expectWire, readPayload, readVarint, scanMessage, type Tag, Wire } from './proto-wire.js';

const { onnx } = onnxProto;

const TensorField = { dims: 1, dataType: 2, name: 8, externalData: 13, dataLocation: 14 } as const;
const SparseField = { values: 1, indices: 2 } as const;
const DATA_LOCATION_EXTERNAL = 1;
const MAX_NAME_BYTES = 64 * 1024;
const MAX_ENTRY_BYTES = 64 * 1024;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A tensor whose bytes live in a file next to the model. */
export interface ExternalRef {
  tensor: string;
  location: string | undefined;
  offset: string | undefined;
  length: string | undefined;
  /** Size implied by dims and data type, when the type has a fixed size. */
  expectedBytes: bigint | undefined;
}

export interface ScannedTensor {
  name: string;
  external: ExternalRef | undefined;
}

interface TensorFields {
  name: string;
  dims: bigint[];
  dataType: number;
  dataLocation: number;
  entries: Map<string, string>;
}

async function readDims(r: FileReader, tag: Tag, end: number, dims: bigint[]): Promise<void> {
  if (tag.wireType === Wire.Varint) {
    dims.push(BigInt.asIntN(64, await readVarint(r)));
    return;
  }
  expectWire(tag, Wire.Len, 'TensorProto.dims');
  while (r.position < end) dims.push(BigInt.asIntN(64, await readVarint(r)));
}

async function readEntry(r: FileReader, end: number, entries: Map<string, string>): Promise<void> {
  const bytes = await readPayload(r, end, MAX_ENTRY_BYTES, 'external_data entry');
  try {
    const entry = onnx.StringStringEntryProto.decode(bytes);
    entries.set(entry.key, entry.value);
  } catch (err) {
    throw badProto(`bad external_data entry (${(err as Error).message})`);
  }
}

async function readTensorField(r: FileReader, tag: Tag, end: number, t: TensorFields): Promise<boolean> {
  switch (tag.field) {
    case TensorField.name:
      expectWire(tag, Wire.Len, 'TensorProto.name');
      t.name = (await readPayload(r, end, MAX_NAME_BYTES, 'tensor name')).toString('utf8');
      return true;
    case TensorField.dims:
      await readDims(r, tag, end, t.dims);
      return true;
    case TensorField.dataType:
      expectWire(tag, Wire.Varint, 'TensorProto.data_type');
      t.dataType = Number(BigInt.asIntN(32, await readVarint(r)));
      return true;
    case TensorField.dataLocation:
      expectWire(tag, Wire.Varint, 'TensorProto.data_location');
      t.dataLocation = Number(BigInt.asIntN(32, await readVarint(r)));
      return true;
    case TensorField.externalData:
      expectWire(tag, Wire.Len, 'TensorProto.external_data');
      await readEntry(r, end, t.entries);
      return true;
    default:
      // raw_data and the typed data arrays are skipped by seeking, never read.
      return false;
  }
}

function expectedBytes(t: TensorFields): bigint | undefined {
  let elements = 1n;
  for (const dim of t.dims) {
    if (dim < 0n) throw badProto(`tensor '${t.name}' has a negative dimension`);
    elements *= dim;
    if (elements > MAX_SAFE) throw badProto(`tensor '${t.name}' has too many elements`);
  }
  return tensorBytes(t.dataType, elements);
}

/** Reads a TensorProto's name and storage description; its data is never loaded. */
export async function scanTensor(r: FileReader, end: number): Promise<ScannedTensor> {
  const t: TensorFields = { name: '', dims: [], dataType: 0, dataLocation: 0, entries: new Map() };
  await scanMessage(r, end, (tag, fieldEnd) => readTensorField(r, tag, fieldEnd, t));
  const isExternal = t.dataLocation === DATA_LOCATION_EXTERNAL || t.entries.size > 0;
  const external: ExternalRef | undefined = isExternal
    ? {
        tensor: t.name,
        location: t.entries.get('location'),
        offset: t.entries.get('offset'),
        length: t.entries.get('length'),
        expectedBytes: expectedBytes(t),
      }
    : undefined;
  return { name: t.name, external };
}

export interface ScannedSparseTensor {
  /** A sparse tensor is named by its `values` part. */
  name: string;
  parts: ScannedTensor[];
}

/** SparseTensorProto: both `values` and `indices` may hold external data. */
export async function scanSparseTensor(r: FileReader, end: number): Promise<ScannedSparseTensor> {
  const sparse: ScannedSparseTensor = { name: '', parts: [] };
  await scanMessage(r, end, async (tag, fieldEnd) => {
    if (tag.field !== SparseField.values && tag.field !== SparseField.indices) return false;
    expectWire(tag, Wire.Len, 'SparseTensorProto part');
    const part = await scanTensor(r, fieldEnd);
    if (tag.field === SparseField.values) sparse.name = part.name;
    sparse.parts.push(part);
    return true;
  });
  return sparse;
}
