import type { Datatype, Tensor, TensorDataMap } from '../../src/wire/tensor.js';

const utf8 = (values: string[]) => values.map((s) => new TextEncoder().encode(s));

/** Four values per datatype that stress its range: extremes, signs, subnormals, multi-byte text. */
export const samples: { [D in Datatype]: TensorDataMap[D] } = {
  BOOL: Uint8Array.of(0, 1, 1, 0),
  UINT8: Uint8Array.of(0, 1, 200, 255),
  UINT16: Uint16Array.of(0, 1, 40_000, 65_535),
  UINT32: Uint32Array.of(0, 1, 3_000_000_000, 4_294_967_295),
  UINT64: BigUint64Array.of(0n, 1n, 2n ** 63n, 2n ** 64n - 1n),
  INT8: Int8Array.of(-128, -1, 0, 127),
  INT16: Int16Array.of(-32_768, -1, 0, 32_767),
  INT32: Int32Array.of(-2_147_483_648, -1, 0, 2_147_483_647),
  INT64: BigInt64Array.of(-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n),
  // 1.0, -2.0, 65504 (largest half), smallest subnormal, as raw half bits.
  FP16: Uint16Array.of(0x3c00, 0xc000, 0x7bff, 0x0001),
  FP32: Float32Array.of(1.5, -2.25, 3.4e38, 1e-45),
  FP64: Float64Array.of(Math.PI, -1e300, 5e-324, 0),
  BYTES: utf8(['hello', 'wörld', '', '日本語']),
};

export function tensor<D extends Datatype>(
  name: string,
  datatype: D,
  shape: number[],
  data: TensorDataMap[D],
): Tensor {
  return { name, datatype, shape, data } as Tensor;
}
