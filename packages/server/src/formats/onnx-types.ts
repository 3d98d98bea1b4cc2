import type { TensorInfo } from '@modelport/contracts';
import type onnxProto from 'onnx-proto';
import type { DeclaredDatatype } from '../wire/index.js';

type ValueInfo = onnxProto.onnx.IValueInfoProto;
type Int64 = number | { toString(): string };

/** ONNX TensorProto.DataType → Open Inference Protocol datatype: the one table of the two codes. */
const OIP_DATATYPES: ReadonlyMap<number, DeclaredDatatype> = new Map<number, DeclaredDatatype>([
  [1, 'FP32'],
  [2, 'UINT8'],
  [3, 'INT8'],
  [4, 'UINT16'],
  [5, 'INT16'],
  [6, 'INT32'],
  [7, 'INT64'],
  [8, 'BYTES'],
  [9, 'BOOL'],
  [10, 'FP16'],
  [11, 'FP64'],
  [12, 'UINT32'],
  [13, 'UINT64'],
  [16, 'BF16'],
]);

/** Types OIP has no name for keep their ONNX name, so the metadata still says what they are. */
const ONNX_ONLY_DATATYPES: ReadonlyMap<number, string> = new Map([
  [0, 'UNDEFINED'],
  [14, 'COMPLEX64'],
  [15, 'COMPLEX128'],
  [17, 'FLOAT8E4M3FN'],
  [18, 'FLOAT8E4M3FNUZ'],
  [19, 'FLOAT8E5M2'],
  [20, 'FLOAT8E5M2FNUZ'],
  [21, 'UINT4'],
  [22, 'INT4'],
  [23, 'FLOAT4E2M1'],
  [24, 'FLOAT8E8M0'],
]);

/** Bits per element of fixed-size ONNX types (strings have no fixed size). */
const ELEMENT_BITS: ReadonlyMap<number, number> = new Map([
  [1, 32],
  [2, 8],
  [3, 8],
  [4, 16],
  [5, 16],
  [6, 32],
  [7, 64],
  [9, 8],
  [10, 16],
  [11, 64],
  [12, 32],
  [13, 64],
  [14, 64],
  [15, 128],
  [16, 16],
  [17, 8],
  [18, 8],
  [19, 8],
  [20, 8],
  [21, 4],
  [22, 4],
  [23, 4],
  [24, 8],
]);

const ONNX_CODES: ReadonlyMap<DeclaredDatatype, number> = new Map(
  [...OIP_DATATYPES].map(([code, datatype]) => [datatype, code]),
);

/** The ONNX TensorProto.DataType code of an OIP datatype. */
export function onnxElemType(datatype: DeclaredDatatype): number {
  const code = ONNX_CODES.get(datatype);
  if (code === undefined) throw new Error(`unknown datatype ${JSON.stringify(datatype)}`);
  return code;
}

export function oipDatatype(elemType: number): string {
  return OIP_DATATYPES.get(elemType) ?? ONNX_ONLY_DATATYPES.get(elemType) ?? `ONNX_TYPE_${elemType}`;
}

/** Bytes a dense tensor of this type and element count occupies, when the type has a fixed size. */
export function tensorBytes(dataType: number, elements: bigint): bigint | undefined {
  const bits = ELEMENT_BITS.get(dataType);
  return bits === undefined ? undefined : (elements * BigInt(bits) + 7n) / 8n;
}

export function int64ToNumber(value: Int64 | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value.toString());
  return Number.isSafeInteger(n) ? n : undefined;
}

function shapeOf(shape: onnxProto.onnx.ITensorShapeProto | null | undefined): number[] {
  return (shape?.dim ?? []).map((d) => {
    const value = d.dimParam ? undefined : int64ToNumber(d.dimValue);
    return value !== undefined && value >= 0 ? value : -1;
  });
}

/** Graph input/output → OIP tensor description; symbolic or unknown dims become -1. */
export function toTensorInfo(value: ValueInfo): TensorInfo {
  const name = value.name ?? '';
  const type = value.type;
  const dense = type?.tensorType ?? type?.sparseTensorType;
  if (dense) return { name, datatype: oipDatatype(dense.elemType ?? 0), shape: shapeOf(dense.shape) };
  if (type?.sequenceType) return { name, datatype: 'SEQUENCE', shape: [] };
  if (type?.mapType) return { name, datatype: 'MAP', shape: [] };
  if (type?.optionalType) return { name, datatype: 'OPTIONAL', shape: [] };
  return { name, datatype: 'UNDEFINED', shape: [] };
}
