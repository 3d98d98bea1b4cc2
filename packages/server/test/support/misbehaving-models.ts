/**
 * Three versions of one registry model for rollout tests, same signature (x float32 [-1, 4] →
 * y float32 [-1, 4]), so any may replace another: one healthy, one that fails every run, one slow.
 */
import { buildOnnxModel, type OnnxModelSpec } from '../../src/formats/index.js';

const HIDDEN = 512;

/**
 * Measured with onnxruntime-node on one intra-op thread on this project's 2-core test machine:
 * a 1-row run takes about 33 ms with 24 MatMuls (median of 20 runs; ~1.4 ms per 512³ MatMul),
 * against ~0.05 ms for the healthy model. Time grows with the rows of the batch.
 */
export const DEFAULT_SLOW_MATMULS = 24;

const signature: Pick<OnnxModelSpec, 'inputs' | 'outputs'> = {
  inputs: [{ name: 'x', elemType: 'FP32', shape: [-1, 4] }],
  outputs: [{ name: 'y', elemType: 'FP32', shape: [-1, 4] }],
};

const one = { name: 'one', elemType: 'FP32', dims: [1], data: Float32Array.of(1) } as const;

/** y = x + 1. */
export function healthyModelBytes(): Uint8Array {
  return buildOnnxModel({
    ...signature,
    initializers: [one],
    nodes: [{ opType: 'Add', inputs: ['x', 'one'], outputs: ['y'] }],
  });
}

/**
 * Loads, then fails every run: a Range whose step is computed from x (ReduceSum(x) · 0), so no
 * optimizer can fold it at load, is 0 at run time ("delta in Range operator can not be zero"). A
 * failure that names no input shape or value is the model's (5xx), not the caller's (run-error.ts):
 * a Reshape to an impossible shape would be blamed on the dynamic batch size instead (400).
 */
export function failingModelBytes(): Uint8Array {
  const scalar = (name: string, value: number) =>
    ({ name, elemType: 'FP32', dims: [], data: Float32Array.of(value) }) as const;
  return buildOnnxModel({
    ...signature,
    initializers: [scalar('zero', 0), scalar('limit', 1)],
    nodes: [
      { opType: 'ReduceSum', inputs: ['x'], outputs: ['sum'], attributes: { keepdims: 0 } },
      { opType: 'Mul', inputs: ['sum', 'zero'], outputs: ['step'] },
      { opType: 'Range', inputs: ['zero', 'limit', 'step'], outputs: ['range'] },
      { opType: 'ReduceSum', inputs: ['range'], outputs: ['total'], attributes: { keepdims: 1 } },
      { opType: 'Add', inputs: ['x', 'total'], outputs: ['y'] },
    ],
  });
}

/**
 * y = x + 1 like the healthy model, but through `matmuls` MatMuls of 512×512 matrices per input
 * row, whatever the batch: each row h = x·[4, 512] is stacked 512 times into a square (ones[512, 1]
 * · h), multiplied `matmuls` times by the same 512×512 weight, then narrowed back (·[512, 4], first
 * row). The weights are identity blocks, exact in float32; one shared initializer keeps the file
 * near 1 MB whatever the count.
 */
export function slowModelBytes(matmuls = DEFAULT_SLOW_MATMULS): Uint8Array {
  if (!Number.isInteger(matmuls) || matmuls < 1) throw new Error(`slowModelBytes: ${matmuls} MatMuls`);
  const chain = Array.from({ length: matmuls }, (_, i) => ({
    opType: 'MatMul',
    inputs: [`m${i}`, 'square'],
    outputs: [`m${i + 1}`],
  }));
  return buildOnnxModel({
    ...signature,
    initializers: [
      { name: 'widen', elemType: 'FP32', dims: [4, HIDDEN], data: identity(4, HIDDEN) },
      { name: 'axis1', elemType: 'INT64', dims: [1], data: BigInt64Array.of(1n) },
      { name: 'column', elemType: 'FP32', dims: [HIDDEN, 1], data: new Float32Array(HIDDEN).fill(1) },
      { name: 'square', elemType: 'FP32', dims: [HIDDEN, HIDDEN], data: identity(HIDDEN, HIDDEN) },
      { name: 'narrow', elemType: 'FP32', dims: [HIDDEN, 4], data: identity(HIDDEN, 4) },
      { name: 'first', elemType: 'INT64', dims: [], data: BigInt64Array.of(0n) },
      one,
    ],
    nodes: [
      { opType: 'MatMul', inputs: ['x', 'widen'], outputs: ['h'] },
      { opType: 'Unsqueeze', inputs: ['h', 'axis1'], outputs: ['row'] },
      { opType: 'MatMul', inputs: ['column', 'row'], outputs: ['m0'] },
      ...chain,
      { opType: 'MatMul', inputs: [`m${matmuls}`, 'narrow'], outputs: ['rows'] },
      { opType: 'Gather', inputs: ['rows', 'first'], outputs: ['same'], attributes: { axis: 1 } },
      { opType: 'Add', inputs: ['same', 'one'], outputs: ['y'] },
    ],
  });
}

/** A rows × cols matrix with ones on the diagonal. */
function identity(rows: number, cols: number): Float32Array {
  const m = new Float32Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) m[i * cols + i] = 1;
  return m;
}

/** Passes the registry's checks (a well-formed graph), then fails to load: its one node's op does not exist. */
export function unloadableModelBytes(): Uint8Array {
  return buildOnnxModel({
    ...signature,
    nodes: [{ opType: 'NoSuchOperator', inputs: ['x'], outputs: ['y'] }],
  });
}
