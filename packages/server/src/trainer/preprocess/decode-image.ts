import sharp from 'sharp';
import type { ImageItem } from '../../formats/index.js';
import { datasetError } from '../training-errors.js';

export interface ImageSize {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

/** One image file → `height × width × channels` bytes (HWC), stretched to the size, grey or sRGB. */
export async function decodeImage(item: ImageItem, size: ImageSize): Promise<Uint8Array> {
  try {
    const image = sharp(item.path, { failOn: 'error' }).resize(size.width, size.height, { fit: 'fill' });
    const coloured = size.channels === 1 ? image.grayscale() : image.toColourspace('srgb');
    const { data, info } = await coloured.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== size.channels)
      throw new Error(`decoded ${info.channels} channels, not ${size.channels}`);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw datasetError(
      `Image "${item.path}" (class "${item.className}") does not decode: ${why}`,
      'datasetId',
    );
  }
}
