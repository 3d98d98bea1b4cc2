/**
 * Limits on decoded audio. The duration cap is checked from the WAV header, before any sample is
 * decoded: 30 minutes at 48 kHz mono already takes 345 MB as float32, and whisper needs about a
 * second of compute per 30-second window on two cores.
 */
export const MAX_AUDIO_SECONDS = 30 * 60;

/** Rates outside this range are almost certainly a corrupt header rather than real audio. */
export const MIN_SAMPLE_RATE = 1_000;
export const MAX_SAMPLE_RATE = 768_000;

/** More channels than any real recording format carries (WAVE_FORMAT_EXTENSIBLE masks have 18). */
export const MAX_CHANNELS = 64;

export const SUPPORTED_AUDIO_FORMATS =
  'WAV (RIFF/WAVE) with PCM 8/16/24/32-bit integer or 32/64-bit float samples, any channel count and sample rate';
