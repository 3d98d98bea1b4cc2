import { endianness } from 'node:os';
import onnxProto from 'onnx-proto';
import { datatypeInfo, type OipDatatype, type TensorData } from './onnx-datatypes.js';

type TensorProto = onnxProto.onnx.ITensorProto;

/** A tensor whose values live in the model (raw_data, little-endian; string_data for BYTES). */
export interface InlineTensorSpec {
  name: string;
  elemType: OipDatatype;
  dims: readonly number[];
  data: TensorData;
}

/** A tensor whose values live in a file beside the model (ONNX external data). */
export interface ExternalTensorSpec {
  name: string;
  elemType: OipDatatype;
  dims: readonly number[];
  externalLocation: string;
  externalOffset?: number;
  externalLength?: number;
}

export type TensorSpec = InlineTensorSpec | ExternalTensorSpec;

const { EXTERNAL } = onnxProto.onnx.TensorProto.DataLocation;

export function toTensorProto(spec: TensorSpec): TensorProto {
  const { onnx: dataType } = datatypeInfo(spec.elemType);
  const count = elementCount(spec.name, spec.dims);
  const head = { name: spec.name, dataType, dims: [...spec.dims] };
  if ('externalLocation' in spec)
    return { ...head, dataLocation: EXTERNAL, externalData: externalEntries(spec) };
  if (spec.data.length !== count) {
    throw new Error(`tensor ${spec.name}: dims [${spec.dims}] need ${count} values, got ${spec.data.length}`);
  }
  if (spec.elemType === 'BYTES') return { ...head, stringData: stringBytes(spec.name, spec.data) };
  return { ...head, rawData: rawBytes(spec.name, spec.elemType, spec.data) };
}

function elementCount(name: string, dims: readonly number[]): number {
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new Error(`tensor ${name}: dims must be non-negative integers, got [${dims}]`);
  }
  return dims.reduce((a, d) => a * d, 1);
}

function externalEntries(spec: ExternalTensorSpec): onnxProto.onnx.IStringStringEntryProto[] {
  const entries = [{ key: 'location', value: spec.externalLocation }];
  if (spec.externalOffset !== undefined) entries.push({ key: 'offset', value: String(spec.externalOffset) });
  if (spec.externalLength !== undefined) entries.push({ key: 'length', value: String(spec.externalLength) });
  return entries;
}

function stringBytes(name: string, data: TensorData): Uint8Array[] {
  const encoder = new TextEncoder();
  return Array.from(data as ArrayLike<unknown>, (v) => {
    if (typeof v === 'string') return encoder.encode(v);
    if (v instanceof Uint8Array) return v;
    throw new Error(`tensor ${name}: BYTES values must be strings or Uint8Array`);
  });
}

function rawBytes(name: string, elemType: OipDatatype, data: TensorData): Uint8Array {
  if (elemType === 'BOOL' && Array.isArray(data)) {
    return Uint8Array.from(data as readonly unknown[], (v) => (v === true || v === 1 ? 1 : 0));
  }
  const expected = datatypeInfo(elemType).array;
  if (!expected || !(data instanceof expected)) {
    throw new Error(`tensor ${name}: ${elemType} values must be a ${expected?.name ?? 'string array'}`);
  }
  return littleEndian(data);
}

/** ONNX raw_data is little-endian whatever the host is; copy, swapping bytes only on big-endian hosts. */
function littleEndian(data: ArrayBufferView & { BYTES_PER_ELEMENT: number }): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const width = data.BYTES_PER_ELEMENT;
  if (endianness() === 'LE' || width === 1) return bytes;
  for (let at = 0; at < bytes.length; at += width) bytes.subarray(at, at + width).reverse();
  return bytes;
}
