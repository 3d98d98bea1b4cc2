import path from 'node:path';
import type { ImageFrame } from './dataset-frame.js';
import { datasetTooLarge, invalidDataset, shown } from './dataset-problems.js';

/** What sharp reports, under the names the dataset schema uses. */
const ENCODINGS: Readonly<Record<string, string>> = { png: 'png', jpeg: 'jpeg', jpg: 'jpeg', webp: 'webp' };
/** Headers read at once; sharp runs them on its own threads. */
const PARALLEL_READS = 4;

export interface ImageSizes {
  width: { min: number; max: number };
  height: { min: number; max: number };
  channels: number[];
  encodings: string[];
}

export interface InspectImagesOptions {
  /** Width × height of one image. */
  maxImagePixels: number;
  /** Image paths in messages are shown relative to it (the archive's root). */
  root: string;
}

/**
 * Reads every image's header with sharp (never the pixels): refuses a file sharp cannot read, one
 * that is not PNG, JPEG or WebP whatever its name says, and one past `maxImagePixels`. A file whose
 * header is sound but whose pixel data is cut short is found only when the pixels are decoded.
 */
export async function inspectImages(frame: ImageFrame, options: InspectImagesOptions): Promise<ImageSizes> {
  const { default: sharp } = await import('sharp');
  const sizes = {
    widths: [] as number[],
    heights: [] as number[],
    channels: new Set<number>(),
    encodings: new Set<string>(),
  };
  const inspectOne = async (file: string) => {
    const name = path.relative(options.root, file).split(path.sep).join('/');
    let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
    try {
      meta = await sharp(file).metadata();
    } catch (err) {
      throw invalidDataset(`${shown(name)} does not decode as an image: ${(err as Error).message}.`, {
        file: name,
      });
    }
    const encoding = ENCODINGS[meta.format ?? ''];
    if (encoding === undefined || meta.width === undefined || meta.height === undefined) {
      throw invalidDataset(
        `${shown(name)} is ${meta.format ?? 'an unknown format'}, not PNG, JPEG or WebP.`,
        {
          file: name,
        },
      );
    }
    if (meta.width * meta.height > options.maxImagePixels) {
      throw datasetTooLarge(
        `${shown(name)} has ${meta.width}×${meta.height} pixels, more than ${options.maxImagePixels}`,
        'maxImagePixels',
      );
    }
    sizes.widths.push(meta.width);
    sizes.heights.push(meta.height);
    sizes.channels.add(meta.channels ?? 0);
    sizes.encodings.add(encoding);
  };
  const files = frame.items.map((item) => item.path);
  for (let at = 0; at < files.length; at += PARALLEL_READS) {
    const results = await Promise.allSettled(files.slice(at, at + PARALLEL_READS).map(inspectOne));
    // The first bad image in file order is the one named, however the reads finished.
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return {
    width: range(sizes.widths),
    height: range(sizes.heights),
    channels: [...sizes.channels].sort((a, b) => a - b),
    encodings: [...sizes.encodings].sort(),
  };
}

function range(values: readonly number[]): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min: values.length === 0 ? 0 : min, max };
}
