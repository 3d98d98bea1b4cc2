/** Test-only GGUF writer: just enough of the format to build valid files and break them on purpose. */

export interface GgufValue {
  type: number;
  payload: Buffer;
}

export interface GgufTensorSpec {
  name: string;
  dims: number[];
  type: 'F32' | 'Q8_0';
  /** Overrides the computed data offset (relative to the data section). */
  offset?: bigint;
}

export interface GgufSpec {
  version?: number;
  kv?: [string, GgufValue][];
  tensors?: GgufTensorSpec[];
  alignment?: number;
  tensorCount?: bigint;
  kvCount?: bigint;
}

const TYPE_IDS = { F32: 0, Q8_0: 8 } as const;

function u32Buf(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function u64Buf(n: bigint | number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

function strBuf(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([u64Buf(bytes.length), bytes]);
}

export const gguf = {
  u32: (n: number): GgufValue => ({ type: 4, payload: u32Buf(n) }),
  u64: (n: bigint): GgufValue => ({ type: 10, payload: u64Buf(n) }),
  f32: (n: number): GgufValue => {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    return { type: 6, payload: b };
  },
  bool: (v: boolean): GgufValue => ({ type: 7, payload: Buffer.from([v ? 1 : 0]) }),
  str: (s: string): GgufValue => ({ type: 8, payload: strBuf(s) }),
  strings: (values: string[]): GgufValue => ({
    type: 9,
    payload: Buffer.concat([u32Buf(8), u64Buf(values.length), ...values.map(strBuf)]),
  }),
  u32s: (values: number[]): GgufValue => ({
    type: 9,
    payload: Buffer.concat([u32Buf(4), u64Buf(values.length), ...values.map(u32Buf)]),
  }),
  /** An array of arrays of u32. */
  nested: (values: number[][]): GgufValue => ({
    type: 9,
    payload: Buffer.concat([u32Buf(9), u64Buf(values.length), ...values.map((v) => gguf.u32s(v).payload)]),
  }),
  raw: (type: number, payload: Buffer): GgufValue => ({ type, payload }),
  u64Bytes: u64Buf,
  u32Bytes: u32Buf,
};

export function tensorBytes(spec: GgufTensorSpec): number {
  const elements = spec.dims.reduce((a, b) => a * b, 1);
  return spec.type === 'F32' ? elements * 4 : (elements / 32) * 34;
}

function pad(length: number, alignment: number): number {
  return Math.ceil(length / alignment) * alignment;
}

/** The header, metadata and tensor table; the data section starts at `dataStart` and is `dataBytes` long. */
export function buildGgufHeader(spec: GgufSpec): { header: Buffer; dataStart: number; dataBytes: number } {
  const alignment = spec.alignment ?? 32;
  const kv = spec.kv ?? [];
  const tensors = spec.tensors ?? [];
  const parts: Buffer[] = [
    Buffer.from('GGUF'),
    u32Buf(spec.version ?? 3),
    u64Buf(spec.tensorCount ?? BigInt(tensors.length)),
    u64Buf(spec.kvCount ?? BigInt(kv.length)),
  ];
  for (const [key, value] of kv) parts.push(strBuf(key), u32Buf(value.type), value.payload);
  let dataBytes = 0;
  for (const t of tensors) {
    const offset = t.offset ?? BigInt(dataBytes);
    parts.push(strBuf(t.name), u32Buf(t.dims.length), ...t.dims.map(u64Buf), u32Buf(TYPE_IDS[t.type]));
    parts.push(u64Buf(offset));
    dataBytes = pad(dataBytes + tensorBytes(t), alignment);
  }
  const header = Buffer.concat(parts);
  return { header, dataStart: pad(header.length, alignment), dataBytes };
}

/** Builds a GGUF file (v3 unless told) whose tensors are laid out back to back on the alignment. */
export function buildGguf(spec: GgufSpec): Buffer {
  const { header, dataStart, dataBytes } = buildGgufHeader(spec);
  return Buffer.concat([header, Buffer.alloc(dataStart - header.length + dataBytes, 0)]);
}
