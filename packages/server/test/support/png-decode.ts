import { inflateSync } from 'node:zlib';

export interface DecodedImage {
  width: number;
  height: number;
  /** Samples per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  channels: number;
  /** Row-major, interleaved, 8 bits per sample. */
  pixels: Uint8Array;
}

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the per-scanline filters (PNG spec section 9) in place into `out`. */
function unfilter(raw: Uint8Array, out: Uint8Array, stride: number, bpp: number, height: number): void {
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (out[row + x - bpp] ?? 0) : 0;
      const b = y > 0 ? (out[row - stride + x] ?? 0) : 0;
      const c = x >= bpp && y > 0 ? (out[row - stride + x - bpp] ?? 0) : 0;
      const predictor = [0, a, b, (a + b) >>> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`bad PNG filter ${filter} on row ${y}`);
      out[row + x] = ((raw[src + x] ?? 0) + predictor) & 0xff;
    }
  }
}

/** Decodes a non-interlaced 8-bit gray, gray+alpha, RGB or RGBA PNG (enough for the sample images). */
export function decodePng(file: Uint8Array): DecodedImage {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG file');
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const body = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (!header) throw new Error('PNG has no IHDR');
  const [width, height] = [header.readUInt32BE(0), header.readUInt32BE(4)];
  const channels = CHANNELS[header[9] ?? -1];
  if (header[8] !== 8 || channels === undefined || header[12] !== 0) {
    throw new Error('only non-interlaced 8-bit gray/RGB(A) PNGs are supported');
  }
  const pixels = new Uint8Array(width * height * channels);
  unfilter(inflateSync(Buffer.concat(data)), pixels, width * channels, channels, height);
  return { width, height, channels, pixels };
}
