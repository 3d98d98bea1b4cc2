/**
 * Tensors as both sides of the runner protocol hold them: the Open Inference Protocol's datatypes,
 * element storage per datatype, and what a model declares of its inputs and outputs.
 */
export const datatypes = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const;
export type Datatype = (typeof datatypes)[number];

/**
 * Every OIP datatype name a model may declare: the served ones, and BF16, which models declare
 * (and the ONNX builder writes) but which has no element storage here, so requests cannot carry it.
 */
export const declaredDatatypes = [...datatypes, 'BF16'] as const;
export type DeclaredDatatype = (typeof declaredDatatypes)[number];

/**
 * Element storage per datatype: BOOL as 0/1 bytes, FP16 as raw IEEE half bits (Node 20 has no
 * Float16Array), INT64/UINT64 as BigInt arrays (no precision lost), BYTES as one byte string each.
 */
export interface TensorDataMap {
  BOOL: Uint8Array;
  UINT8: Uint8Array;
  UINT16: Uint16Array;
  UINT32: Uint32Array;
  UINT64: BigUint64Array;
  INT8: Int8Array;
  INT16: Int16Array;
  INT32: Int32Array;
  INT64: BigInt64Array;
  FP16: Uint16Array;
  FP32: Float32Array;
  FP64: Float64Array;
  BYTES: Uint8Array[];
}
export type TensorData = TensorDataMap[Datatype];

export interface Tensor<D extends Datatype = Datatype> {
  name: string;
  datatype: D;
  /** Concrete dimensions, row-major; the element count is their product. */
  shape: number[];
  data: TensorDataMap[D];
}

/** A declared input or output; `-1` marks a dimension of any size. */
export interface TensorSpec {
  name: string;
  datatype: Datatype;
  shape: number[];
}

export interface ModelInfo {
  /** OIP platform string, e.g. `onnx_onnxv1`. */
  platform: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Every input and output has a leading `-1` dimension, so requests can be stacked along it. */
  batchable: boolean;
}

export interface InferRequest {
  inputs: Tensor[];
  /** Output names to return; absent means all. */
  outputs?: string[];
}

export interface InferResponse {
  outputs: Tensor[];
}
