import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assemble, F32, forLoop, I32, op, V128, type WasmFunction } from './wasm-assembler.js';

/**
 * A small WebAssembly module (SIMD) for the optimizer updates, assembled here from opcodes rather
 * than shipped as a binary. It imports the wasm backend's memory, so it reads tensors and writes
 * results where the backend keeps them, with no copy. Pointers are byte offsets; all arithmetic is
 * float32, as in the backend's kernels.
 *
 *   adam(x, g, m, v, x1, m1, v1, bytes, β₁, β₂, 1−β₁, 1−β₂, k₁, k₂, ε)       4 floats a step
 *     m1 = m·β₁ + g·(1−β₁);  v1 = v·β₂ + g·g·(1−β₂);  x1 = x + (m1·k₁) / (√(v1·k₂) + ε)
 *   momentum(x, g, acc, x1, acc1, bytes, μ, −lr)                          4 floats a step
 *     acc1 = μ·acc + g;  x1 = (−lr)·acc1 + x
 *
 *   reluGrad(dy, x, dx, bytes)                                              4 floats a step
 *     dx = x > 0 ? dy : 0
 *   addRows(a, bias, out, rows, rowBytes)     out[r] = a[r] + bias, rows of ≥ 4 floats
 *   sumRows(a, out, rows, rowBytes)           out = Σ_r a[r], rows of ≥ 4 floats
 *   maxPoolGrad(x, dy, dx, n, oh, ow, fh, fw, sh, sw, h, w, channelBytes)   NHWC, ≥ 4 channels,
 *     windows apart (stride ≥ window, no padding): each output's gradient to the first largest
 *     input of its window, the rest of the window 0 (dx outside every window is the caller's)
 *
 * `bytes` is a multiple of 16: the callers do the remaining elements. A row that is not a multiple
 * of 4 floats ends with a block overlapping the one before: it recomputes and stores the same values.
 */
export interface TrainerModule {
  adam(...args: number[]): void;
  momentum(...args: number[]): void;
  reluGrad(dy: number, x: number, dx: number, bytes: number): void;
  addRows(a: number, bias: number, out: number, rows: number, rowBytes: number): void;
  sumRows(a: number, out: number, rows: number, rowBytes: number): void;
  maxPoolGrad(...args: number[]): void;
}

/** The part of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
interface WasmApi {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** One instance per backend memory (there is one wasm backend per thread). */
const instances = new WeakMap<object, TrainerModule>();
let compiled: object | undefined;

export function trainerModule(backend: BackendWasm): TrainerModule {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (!(memory instanceof wasmApi.Memory)) throw new Error('the wasm backend does not expose its memory');
  let instance = instances.get(memory);
  if (!instance) {
    compiled ??= new wasmApi.Module(
      assemble([adam(), momentum(), reluGrad(), addRows(), sumRows(), maxPoolGrad()]),
    );
    instance = new wasmApi.Instance(compiled, { env: { memory } }).exports as TrainerModule;
    instances.set(memory, instance);
  }
  return instance;
}

function adam(): WasmFunction {
  const [x, g, m, v, x1, m1, v1, bytes] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
  const i = 15;
  const splat = (k: number) => 16 + k; // of parameter 8 + k
  const [mNew, vNew] = [23, 24] as const;
  const at = (p: number) => [...op.get(p), ...op.get(i), ...op.add];
  const splats = Array.from({ length: 7 }, (_, k) => [...op.get(8 + k), ...op.splat, ...op.set(splat(k))]);
  const step = [
    ...[...at(m), ...op.load, ...op.get(splat(0)), ...op.fmul],
    ...[...at(g), ...op.load, ...op.get(splat(2)), ...op.fmul, ...op.fadd, ...op.set(mNew)],
    ...[...at(v), ...op.load, ...op.get(splat(1)), ...op.fmul],
    ...[...at(g), ...op.load, ...at(g), ...op.load, ...op.fmul, ...op.get(splat(3)), ...op.fmul],
    ...[...op.fadd, ...op.set(vNew)],
    ...[...at(m1), ...op.get(mNew), ...op.store],
    ...[...at(v1), ...op.get(vNew), ...op.store],
    ...[...at(x1), ...at(x), ...op.load],
    ...[...op.get(mNew), ...op.get(splat(4)), ...op.fmul],
    ...[...op.get(vNew), ...op.get(splat(5)), ...op.fmul, ...op.sqrt, ...op.get(splat(6)), ...op.fadd],
    ...[...op.fdiv, ...op.fadd, ...op.store],
  ];
  return {
    name: 'adam',
    params: [...Array(8).fill(I32), ...Array(7).fill(F32)],
    locals: [
      [1, I32],
      [9, V128],
    ],
    body: [...splats.flat(), ...forLoop(i, op.i32(0), op.get(bytes), step, 16)],
  };
}

function momentum(): WasmFunction {
  const [x, g, acc, x1, acc1, bytes, mu, step] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
  const [i, mu4, step4, accNew] = [8, 9, 10, 11] as const;
  const at = (p: number) => [...op.get(p), ...op.get(i), ...op.add];
  const body = [
    ...[
      ...at(acc),
      ...op.load,
      ...op.get(mu4),
      ...op.fmul,
      ...at(g),
      ...op.load,
      ...op.fadd,
      ...op.set(accNew),
    ],
    ...[...at(acc1), ...op.get(accNew), ...op.store],
    ...[
      ...at(x1),
      ...op.get(step4),
      ...op.get(accNew),
      ...op.fmul,
      ...at(x),
      ...op.load,
      ...op.fadd,
      ...op.store,
    ],
  ];
  return {
    name: 'momentum',
    params: [...Array(6).fill(I32), F32, F32],
    locals: [
      [1, I32],
      [3, V128],
    ],
    body: [
      ...[...op.get(mu), ...op.splat, ...op.set(mu4), ...op.get(step), ...op.splat, ...op.set(step4)],
      ...forLoop(i, op.i32(0), op.get(bytes), body, 16),
    ],
  };
}

function reluGrad(): WasmFunction {
  const [dy, x, dx, bytes] = [0, 1, 2, 3] as const;
  const [i, zero] = [4, 5] as const;
  const at = (p: number) => [...op.get(p), ...op.get(i), ...op.add];
  const body = [
    ...at(dx),
    ...at(dy),
    ...op.load,
    ...at(x),
    ...op.load,
    ...op.get(zero),
    ...op.fgt,
    ...op.and,
    ...op.store,
  ];
  return {
    name: 'reluGrad',
    params: [I32, I32, I32, I32],
    locals: [
      [1, I32],
      [1, V128],
    ],
    body: [...op.f32(0), ...op.splat, ...op.set(zero), ...forLoop(i, op.i32(0), op.get(bytes), body, 16)],
  };
}

/** Runs `block` (code using local `d`, a byte offset in the row) over a row's 16-byte blocks. */
function overRow(d: number, rowBytes: number, block: number[]): number[] {
  const last = [...op.get(rowBytes), ...op.i32(16), ...op.sub];
  return [...forLoop(d, op.i32(0), last, block, 16), ...last, ...op.set(d), ...block];
}

function addRows(): WasmFunction {
  const [a, bias, out, rows, rowBytes] = [0, 1, 2, 3, 4] as const;
  const [r, d, base] = [5, 6, 7] as const;
  const at = (p: number) => [...op.get(p), ...op.get(base), ...op.add, ...op.get(d), ...op.add];
  const block = [
    ...at(out),
    ...at(a),
    ...op.load,
    ...op.get(bias),
    ...op.get(d),
    ...op.add,
    ...op.load,
    ...op.fadd,
    ...op.store,
  ];
  const row = [...op.get(r), ...op.get(rowBytes), ...op.mul, ...op.set(base), ...overRow(d, rowBytes, block)];
  return {
    name: 'addRows',
    params: [I32, I32, I32, I32, I32],
    locals: [[3, I32]],
    body: forLoop(r, op.i32(0), op.get(rows), row),
  };
}

function sumRows(): WasmFunction {
  const [a, out, rows, rowBytes] = [0, 1, 2, 3] as const;
  const [r, d, sum] = [4, 5, 6] as const;
  const add = [
    ...[
      ...op.get(sum),
      ...op.get(a),
      ...op.get(r),
      ...op.get(rowBytes),
      ...op.mul,
      ...op.add,
      ...op.get(d),
      ...op.add,
    ],
    ...[...op.load, ...op.fadd, ...op.set(sum)],
  ];
  const block = [
    ...[...op.f32(0), ...op.splat, ...op.set(sum)],
    ...forLoop(r, op.i32(0), op.get(rows), add),
    ...[...op.get(out), ...op.get(d), ...op.add, ...op.get(sum), ...op.store],
  ];
  return {
    name: 'sumRows',
    params: [I32, I32, I32, I32],
    locals: [
      [2, I32],
      [1, V128],
    ],
    body: overRow(d, rowBytes, block),
  };
}

function maxPoolGrad(): WasmFunction {
  const [x, dy, dx, n, oh, ow, fh, fw, sh, sw, h, w, cBytes] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
  ] as const;
  const [b, r, q, d, i, j, windowAt, dyAt, p] = [13, 14, 15, 16, 17, 18, 19, 20, 21] as const;
  const [max, taken, grad, first, lowest] = [22, 23, 24, 25, 26] as const;
  const g = op.get;
  /** p = the byte offset of window position (i, j), channel block d */
  const position = [
    ...[...g(windowAt), ...g(i), ...g(w), ...op.mul, ...g(j), ...op.add, ...g(cBytes), ...op.mul, ...op.add],
    ...[...g(d), ...op.add, ...op.set(p)],
  ];
  const overWindow = (body: number[]) =>
    forLoop(i, op.i32(0), g(fh), forLoop(j, op.i32(0), g(fw), [...position, ...body]));
  // Pass 1: the window's maximum, ignoring NaN as `v > best` does (pmax keeps the first operand).
  const findMax = overWindow([
    ...g(max),
    ...g(x),
    ...g(p),
    ...op.add,
    ...op.load,
    ...op.fpmax,
    ...op.set(max),
  ]);
  // Pass 2: the first position equal to it gets dy, every other one 0 (none if the maximum is −∞).
  const route = overWindow([
    ...[...g(x), ...g(p), ...op.add, ...op.load, ...g(max), ...op.feq, ...g(taken), ...op.andNot],
    ...[...g(max), ...g(lowest), ...op.fgt, ...op.and, ...op.set(first)],
    ...[...g(dx), ...g(p), ...op.add, ...g(grad), ...g(first), ...op.and, ...op.store],
    ...[...g(taken), ...g(first), ...op.or, ...op.set(taken)],
  ]);
  const block = [
    ...[...g(lowest), ...op.set(max), ...op.f32(0), ...op.splat, ...op.set(taken)],
    ...[...g(dy), ...g(dyAt), ...op.add, ...g(d), ...op.add, ...op.load, ...op.set(grad)],
    ...findMax,
    ...route,
  ];
  const column = [
    ...[...g(b), ...g(h), ...op.mul, ...g(r), ...g(sh), ...op.mul, ...op.add, ...g(w), ...op.mul],
    ...[...g(q), ...g(sw), ...op.mul, ...op.add, ...g(cBytes), ...op.mul, ...op.set(windowAt)],
    ...[...g(b), ...g(oh), ...op.mul, ...g(r), ...op.add, ...g(ow), ...op.mul, ...g(q), ...op.add],
    ...[...g(cBytes), ...op.mul, ...op.set(dyAt)],
    ...overRow(d, cBytes, block),
  ];
  return {
    name: 'maxPoolGrad',
    params: Array(13).fill(I32),
    locals: [
      [9, I32],
      [5, V128],
    ],
    body: [
      ...[...op.f32(Number.NEGATIVE_INFINITY), ...op.splat, ...op.set(lowest)],
      ...forLoop(b, op.i32(0), g(n), forLoop(r, op.i32(0), g(oh), forLoop(q, op.i32(0), g(ow), column))),
    ],
  };
}
