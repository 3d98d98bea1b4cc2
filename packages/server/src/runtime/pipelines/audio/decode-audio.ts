import { invalidAudio, unsupportedAudio } from './audio-errors.js';
import { resample } from './resample.js';
import { audioFormatNames, sniffAudioFormat } from './sniff-audio-format.js';
import { parseWavHeader, type WavHeader } from './wav-header.js';
import { monoSamples } from './wav-samples.js';

/** Audio whose container and header were checked; its samples are not decoded yet. */
export interface InspectedAudio {
  bytes: Uint8Array;
  header: WavHeader;
}

export interface DecodedAudio {
  /** Mono float32 samples at `sampleRate`. */
  samples: Float32Array;
  sampleRate: number;
  durationS: number;
}

/**
 * Cheap checks, meant to run before a request queues: the format (other containers are recognised
 * only to be refused by name), the header, and the duration limit. No sample is read.
 */
export function inspectAudio(bytes: Uint8Array): InspectedAudio {
  if (bytes.byteLength === 0) throw invalidAudio('the audio is empty');
  const format = sniffAudioFormat(bytes);
  if (format === 'unknown') throw invalidAudio('not a WAV file (no RIFF/WAVE header)');
  if (format !== 'wav') throw unsupportedAudio(audioFormatNames[format]);
  return { bytes, header: parseWavHeader(bytes) };
}

/** Mono samples at `targetRate` (a model's feature-extractor rate): channels averaged, then resampled. */
export async function decodeAudio(
  { bytes, header }: InspectedAudio,
  targetRate: number,
  signal?: AbortSignal,
): Promise<DecodedAudio> {
  return {
    samples: await resample(monoSamples(bytes, header), header.sampleRate, targetRate, signal),
    sampleRate: targetRate,
    durationS: header.durationS,
  };
}
