import { serverDist } from './paths.mjs';

const { buildOnnxModel } = await import(serverDist('formats/index.js'));
const { mulberry32 } = await import(serverDist('training/index.js'));

/** Uniform weights in ±1/sqrt(fanIn), seeded so every run serves byte-identical models. */
function weights(random, rows, cols) {
  const scale = 1 / Math.sqrt(rows);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = (random() * 2 - 1) * scale;
  return data;
}

/** The MLP's weights, seeded: `w1` 1024×hidden and `w2` hidden×16, row-major. */
export function mlpWeights({ hidden = 4096, seed = 7 } = {}) {
  const random = mulberry32(seed);
  return { hidden, w1: weights(random, 1024, hidden), w2: weights(random, hidden, 16) };
}

/**
 * x FP32 ['batch', 1024] → MatMul 1024×hidden → Relu → MatMul hidden×16 → y FP32 ['batch', 16].
 * At hidden 4096 the weights (16 MB) stay in a server CPU's last-level cache; at 16384 (64 MB)
 * they do not, and every run streams them from memory, as with most real models.
 */
export function buildMlp(options = {}) {
  const { hidden, w1, w2 } = mlpWeights(options);
  return buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape: ['batch', 1024] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: ['batch', 16] }],
    initializers: [
      { name: 'w1', elemType: 'FP32', dims: [1024, hidden], data: w1 },
      { name: 'w2', elemType: 'FP32', dims: [hidden, 16], data: w2 },
    ],
    nodes: [
      { opType: 'MatMul', inputs: ['x', 'w1'], outputs: ['h'] },
      { opType: 'Relu', inputs: ['h'], outputs: ['a'] },
      { opType: 'MatMul', inputs: ['a', 'w2'], outputs: ['y'] },
    ],
  });
}

/** x FP32 [1,3,224,224] → Identity → y: the runner does nothing, so serving cost dominates. */
export function buildIdentity() {
  const shape = [1, 3, 224, 224];
  return buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape }],
    outputs: [{ name: 'y', elemType: 'FP32', shape }],
    nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
  });
}

/**
 * Stand-in when the shared SqueezeNet is absent: x FP32 [64, 1024] (256 KB, near SqueezeNet's input)
 * through eight 1024×1024 MatMul+Relu layers and a 1024×16 projection, about 1 GFLOP (≥ 5 ms on one core).
 */
export function buildMatMulChain(seed = 11, layers = 8, width = 1024) {
  const random = mulberry32(seed);
  const initializers = [];
  const nodes = [];
  let prev = 'x';
  for (let i = 0; i < layers; i++) {
    initializers.push({
      name: `w${i}`,
      elemType: 'FP32',
      dims: [width, width],
      data: weights(random, width, width),
    });
    nodes.push({ opType: 'MatMul', inputs: [prev, `w${i}`], outputs: [`h${i}`] });
    nodes.push({ opType: 'Relu', inputs: [`h${i}`], outputs: [`a${i}`] });
    prev = `a${i}`;
  }
  initializers.push({ name: 'proj', elemType: 'FP32', dims: [width, 16], data: weights(random, width, 16) });
  nodes.push({ opType: 'MatMul', inputs: [prev, 'proj'], outputs: ['y'] });
  return buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape: [64, width] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: [64, 16] }],
    initializers,
    nodes,
  });
}

/** x FP32 ['batch', 4] → Add b → y: the cheapest real model, so the gateway's cost shows. */
export function buildAdder(bias = 1) {
  return buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape: ['batch', 4] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: ['batch', 4] }],
    initializers: [{ name: 'b', elemType: 'FP32', dims: [4], data: new Float32Array(4).fill(bias) }],
    nodes: [{ opType: 'Add', inputs: ['x', 'b'], outputs: ['y'] }],
  });
}

/**
 * Same signature as the adder, loads, then fails every run: a Range whose step is computed from x
 * (ReduceSum(x) · 0) is 0 at run time, which the runtime refuses (a model fault, 5xx).
 */
export function buildFailingAdder() {
  const scalar = (name, value) => ({ name, elemType: 'FP32', dims: [], data: Float32Array.of(value) });
  return buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape: ['batch', 4] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: ['batch', 4] }],
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
