import type { Tensor as OrtTensor } from 'onnxruntime-node';
import type { Datatype } from '../../wire/index.js';

/** onnxruntime's name for each datatype; BYTES travels as ORT 'string' (UTF-8 text). */
export const ortTypeOf = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
} as const satisfies Record<Datatype, OrtTensor.Type>;

const datatypeByOrtType: ReadonlyMap<string, Datatype> = new Map(
  (Object.entries(ortTypeOf) as [Datatype, string][]).map(([datatype, ortType]) => [ortType, datatype]),
);

/** Our datatype for an onnxruntime type name; undefined for types we cannot carry (int4, uint4). */
export function datatypeOfOrtType(ortType: string): Datatype | undefined {
  return datatypeByOrtType.get(ortType);
}
