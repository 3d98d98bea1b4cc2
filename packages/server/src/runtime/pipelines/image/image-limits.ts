/**
 * Limits on decoded images. The pixel cap is checked from the header before any pixel is decoded:
 * 40 megapixels (a 7,300 × 5,500 photo) already take 120 MB as 8-bit RGB, and a few hundred bytes
 * of PNG or JPEG can claim far more (decompression bombs). Only the first frame of a GIF or
 * animated WebP is read.
 */
export const MAX_INPUT_PIXELS = 40_000_000;

export const DEFAULT_TOP_K = 5;
export const MAX_TOP_K = 100;

export const SUPPORTED_IMAGE_FORMATS = 'PNG, JPEG, WebP or GIF';
