/**
 * Just enough of the WebAssembly binary format to write a few functions by hand (see
 * wasm-trainer-module.ts): LEB128 numbers, sections, and the opcodes those functions use.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** alignment hint 2^2 (any address works), offset 0 */
const memarg = [0x02, 0x00];

export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  f32: (v: number) => [0x43, ...new Uint8Array(Float32Array.of(v).buffer)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  geS: [0x4e],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  end: [0x0b],
  load: [0xfd, 0x00, ...memarg],
  store: [0xfd, 0x0b, ...memarg],
  splat: [0xfd, 0x13],
  sqrt: [0xfd, 0xe3, 0x01],
  fadd: [0xfd, 0xe4, 0x01],
  fmul: [0xfd, 0xe6, 0x01],
  fdiv: [0xfd, 0xe7, 0x01],
  fgt: [0xfd, 0x44],
  feq: [0xfd, 0x41],
  fpmax: [0xfd, 0xeb, 0x01],
  and: [0xfd, 0x4e],
  andNot: [0xfd, 0x4f],
  or: [0xfd, 0x50],
};

/** for (i = from; i < limit; i += step) body, with `from` and `limit` as code that pushes an i32. */
export function forLoop(i: number, from: number[], limit: number[], body: number[], step = 1): number[] {
  return [
    ...from,
    ...op.set(i),
    ...op.block,
    ...op.loop,
    ...[...op.get(i), ...limit, ...op.geS, ...op.brIf(1)],
    ...body,
    ...[...op.get(i), ...op.i32(step), ...op.add, ...op.set(i)],
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  /** Local declarations after the parameters: [count, type] pairs. */
  readonly locals: readonly (readonly [number, number])[];
  readonly body: readonly number[];
}

/** A module that imports `env.memory` and exports the functions. */
export function assemble(functions: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = vec(functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec([])]));
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]]);
  const declared = vec(functions.map((_, i) => uleb(i)));
  const exports = vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const code = vec(
    functions.map((f) => {
      const body = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, ...op.end];
      return [...uleb(body.length), ...body];
    }),
  );
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(2, imports),
    ...section(3, declared),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

function uleb(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest) byte |= 0x80;
    out.push(byte);
  } while (rest);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    if ((rest === 0 && !(byte & 0x40)) || (rest === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, bytes: readonly number[]): number[] {
  return [id, ...uleb(bytes.length), ...bytes];
}

function name(text: string): number[] {
  return vec([...new TextEncoder().encode(text)].map((b) => [b]));
}
