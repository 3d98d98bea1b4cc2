import { AppError } from '../../../platform/errors/index.js';
import { SUPPORTED_IMAGE_FORMATS } from './image-limits.js';

/** An image format this server recognises but does not decode (TIFF, BMP, AVIF, SVG, …). */
export function unsupportedImage(what: string): AppError {
  return new AppError('unsupported_media', `${what} is not supported; send ${SUPPORTED_IMAGE_FORMATS}.`, {
    param: 'image',
  });
}

/** The bytes are not an image, or claim a supported format but cannot be decoded (truncated, corrupt). */
export function invalidImage(message: string): AppError {
  return new AppError('validation_failed', `Invalid image: ${message}`, { param: 'image' });
}

export function imageTooLarge(message: string): AppError {
  return new AppError('media_too_large', message, { param: 'image' });
}
