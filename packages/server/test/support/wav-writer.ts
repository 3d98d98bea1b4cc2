/** A WAV encoder for tests: any channel count, rate and PCM layout the decoder accepts (and some it refuses). */
export interface WavSpec {
  sampleRate: number;
  /** One Float32Array per channel, values in [-1, 1]. */
  channels: Float32Array[];
  encoding?: 'int' | 'float';
  bitsPerSample?: 8 | 16 | 24 | 32 | 64;
  /** Writes WAVE_FORMAT_EXTENSIBLE (a 40-byte fmt chunk with a sub-format GUID). */
  extensible?: boolean;
  /** Overrides the format tag (e.g. 7 for µ-law). */
  formatTag?: number;
  /** Overrides the data chunk's declared size. */
  declaredDataBytes?: number;
  /** A LIST chunk before the data, as many encoders write. */
  listChunk?: boolean;
}

export function encodeWav(spec: WavSpec): Uint8Array {
  const encoding = spec.encoding ?? 'int';
  const bits = spec.bitsPerSample ?? 16;
  const channels = spec.channels.length;
  const frames = spec.channels[0]?.length ?? 0;
  const bytes = bits / 8;
  const fmtSize = spec.extensible ? 40 : 16;
  const list = spec.listChunk ? listChunk() : new Uint8Array();
  const dataBytes = frames * channels * bytes;
  const out = new Uint8Array(12 + 8 + fmtSize + list.length + 8 + dataBytes);
  const view = new DataView(out.buffer);
  writeAscii(out, 0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  writeAscii(out, 8, 'WAVE');
  writeAscii(out, 12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  const tag = spec.formatTag ?? (encoding === 'float' ? 3 : 1);
  view.setUint16(20, spec.extensible ? 0xfffe : tag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, spec.sampleRate, true);
  view.setUint32(28, spec.sampleRate * channels * bytes, true);
  view.setUint16(32, channels * bytes, true);
  view.setUint16(34, bits, true);
  if (spec.extensible) writeExtensible(view, tag, bits);
  out.set(list, 20 + fmtSize);
  const data = 20 + fmtSize + list.length;
  writeAscii(out, data, 'data');
  view.setUint32(data + 4, spec.declaredDataBytes ?? dataBytes, true);
  writeSamples(view, data + 8, spec.channels, encoding, bits);
  return out;
}

function writeExtensible(view: DataView, tag: number, bits: number): void {
  view.setUint16(36, 22, true);
  view.setUint16(38, bits, true);
  view.setUint32(40, 0, true);
  // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the format tag, then a fixed GUID tail.
  view.setUint16(44, tag, true);
  const tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
  for (const [i, b] of tail.entries()) view.setUint8(46 + i, b);
}

function writeSamples(
  view: DataView,
  start: number,
  channels: Float32Array[],
  encoding: 'int' | 'float',
  bits: number,
): void {
  const frames = channels[0]?.length ?? 0;
  let at = start;
  for (let f = 0; f < frames; f++) {
    for (const channel of channels) {
      writeSample(view, at, channel[f] ?? 0, encoding, bits);
      at += bits / 8;
    }
  }
}

function writeSample(
  view: DataView,
  at: number,
  value: number,
  encoding: 'int' | 'float',
  bits: number,
): void {
  const v = Math.max(-1, Math.min(1, value));
  if (encoding === 'float') {
    if (bits === 32) view.setFloat32(at, value, true);
    else view.setFloat64(at, value, true);
    return;
  }
  if (bits === 8) view.setUint8(at, Math.round(v * 127) + 128);
  else if (bits === 16) view.setInt16(at, Math.round(v * 32767), true);
  else if (bits === 24) {
    const n = Math.round(v * 8_388_607);
    view.setUint8(at, n & 0xff);
    view.setUint8(at + 1, (n >> 8) & 0xff);
    view.setInt8(at + 2, n >> 16);
  } else view.setInt32(at, Math.round(v * 2_147_483_647), true);
}

function listChunk(): Uint8Array {
  // An odd-sized body: the reader must skip its pad byte.
  const body = new TextEncoder().encode('INFOISFT\u0005\u0000\u0000\u0000test\u0000');
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  writeAscii(out, 0, 'LIST');
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

function writeAscii(out: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
}

/** Reads a 16-bit mono PCM WAV the way the shared samples are stored (for converting them in tests). */
export function readPcm16Mono(bytes: Uint8Array): { sampleRate: number; samples: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let sampleRate = 0;
  while (at + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') sampleRate = view.getUint32(at + 12, true);
    if (id === 'data') {
      const samples = new Float32Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(at + 8 + i * 2, true) / 32768;
      return { sampleRate, samples };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}
