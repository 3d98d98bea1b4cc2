import sharp, { type Metadata } from 'sharp';
import type { ImageTaskConfig } from '../../../wire/task-config/index.js';
import { imageTooLarge, invalidImage, unsupportedImage } from './image-errors.js';
import { MAX_INPUT_PIXELS } from './image-limits.js';
import { imageFormatNames, type SupportedImage, sniffImageFormat } from './sniff-image-format.js';

/** Interleaved 8-bit pixels (HWC), 1 channel for gray, else R, G, B. */
export interface DecodedPixels {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

type ResizeSettings = Pick<ImageTaskConfig, 'width' | 'height' | 'channels' | 'resize'>;

/**
 * Decodes a PNG, JPEG, WebP or GIF (first frame), turns it upright from its EXIF orientation and
 * resizes it to the model's input: `cover` scales the shorter side then crops the centre,
 * `contain` letterboxes on black, `fill` stretches.
 */
export async function decodeImage(bytes: Uint8Array, settings: ResizeSettings): Promise<DecodedPixels> {
  const format = checkFormat(bytes);
  await checkHeader(bytes, format);
  const gray = settings.channels === 'gray';
  let pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .autoOrient()
    .resize(settings.width, settings.height, {
      fit: settings.resize,
      background: { r: 0, g: 0, b: 0, alpha: 1 },
    })
    // Alpha is dropped, not composited, as PIL's convert('RGB') does in most training pipelines.
    .removeAlpha();
  pipeline = gray ? pipeline.grayscale() : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((err: unknown) => {
      throw decodeError(format, err);
    });
  const channels = gray ? 1 : 3;
  if (info.channels !== channels || info.width !== settings.width || info.height !== settings.height)
    throw invalidImage(
      `decoding gave ${info.width}×${info.height}×${info.channels}, not the expected layout`,
    );
  return { width: info.width, height: info.height, channels, data };
}

/** Only the four formats get to a decoder: TIFF, SVG or HEIF parsers are never exposed to callers. */
function checkFormat(bytes: Uint8Array): SupportedImage {
  if (bytes.byteLength === 0) throw invalidImage('the image is empty (0 bytes)');
  const sniffed = sniffImageFormat(bytes);
  if (sniffed === 'unknown') throw invalidImage('the bytes are not a PNG, JPEG, WebP or GIF image');
  if (!(sniffed in imageFormatNames)) return sniffed as SupportedImage;
  throw unsupportedImage(imageFormatNames[sniffed as keyof typeof imageFormatNames]);
}

/** Reads only the header, so a bomb claiming gigapixels is refused before any decoding. */
async function checkHeader(bytes: Uint8Array, sniffed: SupportedImage): Promise<void> {
  let meta: Metadata;
  try {
    // sharp's own limit would refuse a bomb with a generic message; the check below names the size.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw decodeError(sniffed, err);
  }
  if (meta.format !== sniffed)
    throw invalidImage(`the bytes start like ${sniffed} but decode as ${meta.format}`);
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width * height > MAX_INPUT_PIXELS) {
    const mp = (MAX_INPUT_PIXELS / 1e6).toFixed(0);
    throw imageTooLarge(`The image is ${width}×${height} pixels; at most ${mp} megapixels are accepted.`);
  }
  if (width === 0 || height === 0) throw invalidImage(`the ${sniffed} header gives no size`);
}

function decodeError(format: string, err: unknown): Error {
  const reason = (err instanceof Error ? err.message : String(err)).trim().split('\n')[0];
  return invalidImage(`the ${format.toUpperCase()} data cannot be decoded (${reason})`);
}
