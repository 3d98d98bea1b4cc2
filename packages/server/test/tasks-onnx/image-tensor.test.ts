import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, imageTensor } from '../../src/runtime/pipelines/image/index.js';
import { halfToFloat } from '../../src/wire/oip/index.js';

/** A 2×1 PNG: a red pixel then a blue one. */
async function redBlue(): Promise<Buffer> {
  const raw = Buffer.from([200, 10, 20, 30, 40, 250]);
  return sharp(raw, { raw: { width: 2, height: 1, channels: 3 } })
    .png()
    .toBuffer();
}

const base = {
  width: 2,
  height: 1,
  resize: 'fill',
  scale: 1,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  input: 'x',
} as const;

describe('pixels to the input tensor', () => {
  it('RGB NCHW: one plane per channel', async () => {
    const pixels = await decodeImage(await redBlue(), { ...base, channels: 'RGB' });
    const tensor = imageTensor(pixels, { ...base, channels: 'RGB', layout: 'NCHW', dtype: 'FP32' });
    expect(tensor.shape).toEqual([1, 3, 1, 2]);
    expect(Array.from(tensor.data as Float32Array)).toEqual([200, 30, 10, 40, 20, 250]);
  });

  it('BGR NHWC: interleaved, blue first', async () => {
    const pixels = await decodeImage(await redBlue(), { ...base, channels: 'BGR' });
    const tensor = imageTensor(pixels, { ...base, channels: 'BGR', layout: 'NHWC', dtype: 'FP32' });
    expect(tensor.shape).toEqual([1, 1, 2, 3]);
    expect(Array.from(tensor.data as Float32Array)).toEqual([20, 10, 200, 250, 40, 30]);
  });

  it('scale, then (v − mean[c]) / std[c], in the model channel order, as FP16', async () => {
    const pixels = await decodeImage(await redBlue(), { ...base, channels: 'RGB' });
    const settings = { ...base, channels: 'RGB', layout: 'NCHW', dtype: 'FP16' } as const;
    const tensor = imageTensor(pixels, { ...settings, scale: 1 / 255, mean: [0.5, 0, 1], std: [0.5, 1, 2] });
    expect(tensor.datatype).toBe('FP16');
    const values = Array.from(tensor.data as Uint16Array, halfToFloat);
    const expected = [
      (200 / 255 - 0.5) / 0.5,
      (30 / 255 - 0.5) / 0.5,
      10 / 255,
      40 / 255,
      (20 / 255 - 1) / 2,
      (250 / 255 - 1) / 2,
    ];
    values.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] ?? Number.NaN, 2);
    });
  });

  it('gray: one channel whatever the source', async () => {
    const pixels = await decodeImage(await redBlue(), { ...base, channels: 'gray' });
    expect(pixels).toMatchObject({ width: 2, height: 1, channels: 1 });
    const tensor = imageTensor(pixels, {
      ...base,
      channels: 'gray',
      layout: 'NCHW',
      dtype: 'FP32',
      mean: [0],
      std: [1],
    });
    expect(tensor.shape).toEqual([1, 1, 1, 2]);
  });

  it('cover crops the centre, contain pads with black, fill stretches', async () => {
    // 4×2: black, white, white, black; the centre 2×2 is white.
    const wide = await sharp(Buffer.from([0, 255, 255, 0, 0, 255, 255, 0]), {
      raw: { width: 4, height: 2, channels: 1 },
    })
      .png()
      .toBuffer();
    const size = { width: 2, height: 2, channels: 'gray' } as const;
    const cover = await decodeImage(wide, { ...size, resize: 'cover' });
    expect(Array.from(cover.data)).toEqual([255, 255, 255, 255]);
    // 4×2 shrinks to 2×1, and a black row fills the rest.
    const contain = Array.from((await decodeImage(wide, { ...size, resize: 'contain' })).data);
    expect([contain.slice(0, 2), contain.slice(2)]).toContainEqual([0, 0]);
    // Squeezing 4 columns into 2 mixes black and white in each.
    const fill = Array.from((await decodeImage(wide, { ...size, resize: 'fill' })).data);
    for (const v of fill) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(255);
    }
  });
});
