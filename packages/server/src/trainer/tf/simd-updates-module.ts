/**
 * A tiny WebAssembly module (SIMD, 4 floats a step) for the optimizer updates, assembled here from
 * its opcodes rather than shipped as a binary: it imports the wasm backend's own memory, so it
 * reads gradients and writes new weights where the backend keeps them, with no copy. Two exports:
 *
 *   adam(x, g, m, v, x1, m1, v1, bytes, β₁, β₂, 1−β₁, 1−β₂, −lr/(1−β₁ᵗ), 1/(1−β₂ᵗ), ε)
 *     m1 = m·β₁ + g·(1−β₁);  v1 = v·β₂ + g·g·(1−β₂);  x1 = x + (m1·k₁) / (√(v1·k₂) + ε)
 *   momentum(x, g, acc, x1, acc1, bytes, μ, −lr)
 *     acc1 = μ·acc + g;  x1 = (−lr)·acc1 + x
 *
 * Pointers are byte offsets into the memory; `bytes` is a multiple of 16 (the caller does the rest).
 * Every operation is float32, as in the backend's own kernels.
 */
export function simdUpdatesModule(): Uint8Array<ArrayBuffer> {
  const types = vec([funcType(8, 7), funcType(6, 2)]);
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]]);
  const functions = vec([[0], [1]]);
  const exports = vec([
    [...name('adam'), 0x00, 0],
    [...name('momentum'), 0x00, 1],
  ]);
  const code = vec([adamBody(), momentumBody()].map((body) => [...uleb(body.length), ...body]));
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(2, imports),
    ...section(3, functions),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  geU: [0x4f],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  end: [0x0b],
  // memarg: alignment hint 2^2 (any address works), offset 0
  load: [0xfd, 0x00, 0x02, 0x00],
  store: [0xfd, 0x0b, 0x02, 0x00],
  splat: [0xfd, 0x13],
  sqrt: [0xfd, 0xe3, 0x01],
  fadd: [0xfd, 0xe4, 0x01],
  fmul: [0xfd, 0xe6, 0x01],
  fdiv: [0xfd, 0xe7, 0x01],
};

/** Parameters: x g m v x1 m1 v1 bytes (i32) · b1 b2 c1 c2 k1 k2 eps (f32); locals: i, 7 splats, m1, v1. */
function adamBody(): number[] {
  const [x, g, m, v, x1, m1, v1, bytes] = [0, 1, 2, 3, 4, 5, 6, 7];
  const i = 15;
  const splat = (k: number) => 16 + k; // of parameter 8 + k
  const [mNew, vNew] = [23, 24];
  const at = (p: number) => [...op.get(p), ...op.get(i), ...op.add];
  const body = Array.from({ length: 7 }, (_, k) => [
    ...op.get(8 + k),
    ...op.splat,
    ...op.set(splat(k)),
  ]).flat();
  body.push(
    ...loopOver(i, bytes, [
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
    ]),
    ...op.end,
  );
  return [
    ...vec([
      [...uleb(1), I32],
      [...uleb(9), V128],
    ]),
    ...body,
  ];
}

/** Parameters: x g acc x1 acc1 bytes (i32) · mu step (f32); locals: i, 2 splats, acc1. */
function momentumBody(): number[] {
  const [x, g, acc, x1, acc1, bytes, mu, step] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [i, mu4, step4, accNew] = [8, 9, 10, 11];
  const at = (p: number) => [...op.get(p), ...op.get(i), ...op.add];
  const body = [...op.get(mu), ...op.splat, ...op.set(mu4), ...op.get(step), ...op.splat, ...op.set(step4)];
  body.push(
    ...loopOver(i, bytes, [
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
    ]),
    ...op.end,
  );
  return [
    ...vec([
      [...uleb(1), I32],
      [...uleb(3), V128],
    ]),
    ...body,
  ];
}

/** for (i = 0; i < bytes; i += 16) body — i starts at 0 as every local does. */
function loopOver(i: number, bytes: number, body: number[]): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...[...op.get(i), ...op.get(bytes), ...op.geU, ...op.brIf(1)],
    ...body,
    ...[...op.get(i), ...op.i32(16), ...op.add, ...op.set(i)],
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

function funcType(ints: number, floats: number): number[] {
  return [0x60, ...vec([...Array(ints).fill([I32]), ...Array(floats).fill([F32])]), ...vec([])];
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
