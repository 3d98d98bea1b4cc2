import onnxProto from 'onnx-proto';

const { DataType } = onnxProto.onnx.TensorProto;

/** Open Inference Protocol datatype names, the vocabulary the rest of the platform speaks. */
export type OipDatatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'BF16'
  | 'FP32'
  | 'FP64'
  | 'BYTES';

/**
 * Values of a tensor: the typed array matching its datatype. FP16 and BF16 take their raw bit
 * patterns as Uint16Array (Node 20 has no Float16Array); BOOL takes 0/1 bytes or booleans; BYTES
 * takes strings (UTF-8 encoded) or raw byte strings.
 */
export type TensorData =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array
  | readonly boolean[]
  | readonly (string | Uint8Array)[];

type TypedArrayClass =
  | Uint8ArrayConstructor
  | Int8ArrayConstructor
  | Uint16ArrayConstructor
  | Int16ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor
  | BigUint64ArrayConstructor
  | BigInt64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

interface DatatypeInfo {
  onnx: onnxProto.onnx.TensorProto.DataType;
  /** Array class holding the values; BYTES has none (strings go to string_data, not raw_data). */
  array: TypedArrayClass | null;
}

const DATATYPES: Readonly<Record<OipDatatype, DatatypeInfo>> = {
  BOOL: { onnx: DataType.BOOL, array: Uint8Array },
  UINT8: { onnx: DataType.UINT8, array: Uint8Array },
  UINT16: { onnx: DataType.UINT16, array: Uint16Array },
  UINT32: { onnx: DataType.UINT32, array: Uint32Array },
  UINT64: { onnx: DataType.UINT64, array: BigUint64Array },
  INT8: { onnx: DataType.INT8, array: Int8Array },
  INT16: { onnx: DataType.INT16, array: Int16Array },
  INT32: { onnx: DataType.INT32, array: Int32Array },
  INT64: { onnx: DataType.INT64, array: BigInt64Array },
  FP16: { onnx: DataType.FLOAT16, array: Uint16Array },
  BF16: { onnx: DataType.BFLOAT16, array: Uint16Array },
  FP32: { onnx: DataType.FLOAT, array: Float32Array },
  FP64: { onnx: DataType.DOUBLE, array: Float64Array },
  BYTES: { onnx: DataType.STRING, array: null },
};

export const oipDatatypes = Object.keys(DATATYPES) as OipDatatype[];

export function datatypeInfo(datatype: OipDatatype): DatatypeInfo {
  const info = DATATYPES[datatype];
  if (!info) throw new Error(`unknown datatype ${JSON.stringify(datatype)}`);
  return info;
}

/** ONNX TensorProto.DataType code of an OIP datatype. */
export function onnxElemType(datatype: OipDatatype): number {
  return datatypeInfo(datatype).onnx;
}
