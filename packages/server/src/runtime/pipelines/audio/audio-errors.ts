import { AppError } from '../../../platform/errors/index.js';
import { SUPPORTED_AUDIO_FORMATS } from './audio-limits.js';

/** The bytes are a format or WAV encoding this server does not decode (FLAC, MP3, µ-law, …). */
export function unsupportedAudio(what: string): AppError {
  return new AppError('unsupported_media', `${what} is not supported; send ${SUPPORTED_AUDIO_FORMATS}.`, {
    param: 'audio',
  });
}

/** The bytes are not audio, or claim to be WAV but do not add up (truncated, inconsistent, empty). */
export function invalidAudio(message: string): AppError {
  return new AppError('validation_failed', `Invalid audio: ${message}`, { param: 'audio' });
}

export function audioTooLong(message: string): AppError {
  return new AppError('media_too_large', message, { param: 'audio' });
}
