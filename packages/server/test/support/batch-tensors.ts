import type { Datatype, InferRequest, Tensor, TensorDataMap } from '../../src/wire/tensor.js';

import { tensor } from './sample-tensors.js';

export { tensor };

/** A request of `rows` rows of `width` FP32 features, every element `value + column`. */
export function rowsRequest(value: number, rows = 1, width = 4): InferRequest {
  const data = Float32Array.from({ length: rows * width }, (_, i) => value + (i % width));
  return { inputs: [tensor('x', 'FP32', [rows, width], data)] };
}

/** The first output's values as plain numbers. */
export function outputValues(response: { outputs: Tensor[] }): number[] {
  const data = response.outputs[0]?.data;
  if (!data || Array.isArray(data)) throw new Error('expected a numeric first output');
  return Array.from(data as ArrayLike<number | bigint>, Number);
}

/** Settles to the rejection reason, or fails the test if the promise resolves. */
export async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

const utf8 = (values: string[]) => values.map((s) => new TextEncoder().encode(s));

/** Six values per datatype (three rows of two), stressing each type's range. */
export const samples: { [D in Datatype]: TensorDataMap[D] } = {
  BOOL: Uint8Array.of(0, 1, 1, 0, 1, 1),
  UINT8: Uint8Array.of(0, 1, 200, 255, 7, 8),
  UINT16: Uint16Array.of(0, 1, 40_000, 65_535, 7, 8),
  UINT32: Uint32Array.of(0, 1, 3_000_000_000, 4_294_967_295, 7, 8),
  UINT64: BigUint64Array.of(0n, 1n, 2n ** 63n, 2n ** 64n - 1n, 7n, 8n),
  INT8: Int8Array.of(-128, -1, 0, 127, 7, 8),
  INT16: Int16Array.of(-32_768, -1, 0, 32_767, 7, 8),
  INT32: Int32Array.of(-2_147_483_648, -1, 0, 2_147_483_647, 7, 8),
  INT64: BigInt64Array.of(-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n, 8n),
  // Raw half bits: 1.0, -2.0, 65504, smallest subnormal, +inf, NaN.
  FP16: Uint16Array.of(0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x7e00),
  FP32: Float32Array.of(1.5, -2.25, 3.4e38, 1e-45, Number.NaN, -0),
  FP64: Float64Array.of(Math.PI, -1e300, 5e-324, 0, Number.POSITIVE_INFINITY, -0),
  BYTES: utf8(['hello', 'wörld', '', '日本語', 'a', 'bc']),
};
