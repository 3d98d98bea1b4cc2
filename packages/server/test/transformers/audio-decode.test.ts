import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors/index.js';
import {
  audioFromBase64,
  decodeAudio,
  inspectAudio,
  MAX_AUDIO_SECONDS,
  resample,
} from '../../src/runtime/pipelines/audio/index.js';
import { mulberry32 } from '../../src/training/index.js';
import { snrDb } from '../support/test-signals.js';
import { encodeWav } from '../support/wav-writer.js';

function tone(frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate),
  );
}

/** Amplitude of `frequency` in `x` (a single-bin DFT over the middle, away from the edges). */
function amplitudeAt(x: Float32Array, frequency: number, rate: number): number {
  const from = Math.floor(x.length / 4);
  const to = Math.floor((3 * x.length) / 4);
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    re += (x[i] ?? 0) * Math.cos((2 * Math.PI * frequency * i) / rate);
    im -= (x[i] ?? 0) * Math.sin((2 * Math.PI * frequency * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a refusal');
}

const ramp = Float32Array.from({ length: 64 }, (_, i) => (i - 32) / 40);

describe('WAV decoding', () => {
  it.each([
    ['int', 8, 1 / 64],
    ['int', 16, 1e-4],
    ['int', 24, 1e-6],
    ['int', 32, 1e-6],
    ['float', 32, 1e-7],
    ['float', 64, 1e-7],
  ] as const)('reads %s %i-bit samples', async (encoding, bits, tolerance) => {
    const wav = encodeWav({ sampleRate: 16_000, channels: [ramp], encoding, bitsPerSample: bits });
    const { samples, durationS } = await decodeAudio(inspectAudio(wav), 16_000);
    expect(durationS).toBeCloseTo(64 / 16_000, 9);
    expect(samples.length).toBe(ramp.length);
    const errors = Array.from(samples, (v, i) => Math.abs(v - (ramp[i] ?? 0)));
    expect(Math.max(...errors)).toBeLessThanOrEqual(tolerance);
  });

  it('averages any number of channels into one, reading WAVE_FORMAT_EXTENSIBLE and skipping odd chunks', async () => {
    const channels = [0, 1, 2].map((c) => ramp.map((v) => v + (c - 1) * 0.25));
    const wav = encodeWav({
      sampleRate: 16_000,
      channels,
      encoding: 'float',
      bitsPerSample: 32,
      extensible: true,
      listChunk: true,
    });
    const { samples } = await decodeAudio(inspectAudio(wav), 16_000);
    expect(Array.from(samples)).toEqual(Array.from(ramp, (v) => expect.closeTo(v, 6)));
  });

  it('accepts base64 with or without a data URL prefix', () => {
    const wav = encodeWav({ sampleRate: 16_000, channels: [ramp] });
    const base64 = Buffer.from(wav).toString('base64');
    expect(audioFromBase64(base64)).toEqual(wav);
    expect(audioFromBase64(`data:audio/wav;base64,${base64}`)).toEqual(wav);
  });

  it('refuses empty, non-audio, truncated and inconsistent input with 400', () => {
    const wav = encodeWav({ sampleRate: 16_000, channels: [ramp] });
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(), /empty/],
      [new TextEncoder().encode('this is not audio at all, just some text'), /not a WAV file/],
      [wav.subarray(0, 30), /fmt chunk is truncated/],
      [wav.subarray(0, 36), /no data chunk/],
      [wav.subarray(0, wav.length - 10), /truncated/],
      [encodeWav({ sampleRate: 16_000, channels: [new Float32Array()] }), /no samples/],
      [encodeWav({ sampleRate: 50, channels: [ramp] }), /sample rate 50 Hz/],
    ];
    for (const [bytes, message] of cases) {
      const err = refusal(() => inspectAudio(bytes));
      expect(err.status, err.message).toBe(400);
      expect(err.code).toBe('validation_failed');
      expect(err.param).toBe('audio');
      expect(err.message).toMatch(message);
    }
    expect(refusal(() => audioFromBase64('')).status).toBe(400);
  });

  it('refuses a header claiming 10 hours with 413 before reading any sample', () => {
    const wav = encodeWav({ sampleRate: 16_000, channels: [ramp], declaredDataBytes: 16_000 * 2 * 36_000 });
    const err = refusal(() => inspectAudio(wav));
    expect(err.status).toBe(413);
    expect(err.code).toBe('media_too_large');
    expect(err.message).toContain(`${MAX_AUDIO_SECONDS} s`);
  });

  it('takes a size left at 0xFFFFFFFF by a streaming writer as "to the end of the file"', () => {
    const wav = encodeWav({ sampleRate: 16_000, channels: [ramp], declaredDataBytes: 0xffffffff });
    expect(inspectAudio(wav).header.frames).toBe(ramp.length);
  });

  it('refuses other formats and WAV encodings with 415, naming what is supported', () => {
    const flac = new Uint8Array([0x66, 0x4c, 0x61, 0x43, 0, 0, 0, 34, ...new Uint8Array(40)]);
    const mulaw = encodeWav({ sampleRate: 8_000, channels: [ramp], bitsPerSample: 8, formatTag: 7 });
    const ogg = new TextEncoder().encode('OggS\u0000\u0002 and more bytes');
    for (const [bytes, named] of [
      [flac, 'FLAC'],
      [mulaw, 'µ-law'],
      [ogg, 'Ogg'],
    ] as const) {
      const err = refusal(() => inspectAudio(bytes));
      expect(err.status).toBe(415);
      expect(err.code).toBe('unsupported_media');
      expect(err.message).toContain(named);
      expect(err.message).toContain('WAV (RIFF/WAVE)');
    }
  });
});

describe('resampling', () => {
  it('keeps in-band tones and removes what the lower rate cannot hold (no aliasing)', async () => {
    const rate = 44_100;
    const high = tone(12_000, rate, 1);
    const mixed = tone(1_000, rate, 1).map((v, i) => v + (high[i] ?? 0));
    const out = await resample(mixed, rate, 16_000);
    expect(out.length).toBe(16_000);
    expect(amplitudeAt(out, 1_000, 16_000)).toBeCloseTo(0.5, 2);
    // 12 kHz folds to 4 kHz at 16 kHz unless it is filtered out first.
    expect(amplitudeAt(out, 4_000, 16_000)).toBeLessThan(0.5 * 1e-3);
  });

  it('upsamples without losing the tone, and passes equal rates through', async () => {
    const input = tone(440, 16_000, 1);
    const out = await resample(input, 16_000, 48_000);
    expect(out.length).toBe(48_000);
    expect(amplitudeAt(out, 440, 48_000)).toBeCloseTo(0.5, 2);
    expect(await resample(input, 16_000, 16_000)).toBe(input);
  });

  it('turns 44.1 kHz stereo float32 into the 16 kHz mono signal it carries, sample for sample', async () => {
    // Speech-band tones, known exactly at any rate, plus noise that only the channel average cancels.
    const tones = [
      [220, 0.2],
      [1_000, 0.15],
      [2_500, 0.1],
      [4_000, 0.08],
      [5_500, 0.05],
    ] as const;
    const signal = (t: number) =>
      tones.reduce((sum, [f, a]) => sum + a * Math.sin(2 * Math.PI * f * t + f), 0);
    const random = mulberry32(1);
    const frames = 44_100 * 2;
    const left = new Float32Array(frames);
    const right = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const noise = (random() - 0.5) * 0.6;
      left[i] = signal(i / 44_100) + noise;
      right[i] = signal(i / 44_100) - noise;
    }
    const wav = encodeWav({
      sampleRate: 44_100,
      channels: [left, right],
      encoding: 'float',
      bitsPerSample: 32,
    });
    const { samples } = await decodeAudio(inspectAudio(wav), 16_000);
    expect(samples.length).toBe(32_000);
    // Away from the edges, where the filter runs past the ends of the input.
    const expected = Array.from({ length: 32_000 - 1_600 }, (_, i) => signal((i + 800) / 16_000));
    const errorDb = snrDb(samples.subarray(800, 32_000 - 800), expected);
    console.log(`44.1 kHz stereo → 16 kHz mono: ${errorDb.toFixed(1)} dB signal-to-error`);
    // Measured 82.7 dB; a one-sample shift, or one channel instead of the average, gives below 10 dB.
    expect(errorDb).toBeGreaterThan(70);
  });

  it('keeps a round-trip sample count, rounding the output length rather than truncating it', async () => {
    const out = await resample(new Float32Array(62_669), 16_000, 44_100);
    expect(out.length).toBe(172_731);
    expect((await resample(out, 44_100, 16_000)).length).toBe(62_669);
  });

  it('resamples a minute of 44.1 kHz audio in well under a second', async () => {
    const input = tone(300, 44_100, 60);
    const started = performance.now();
    await resample(input, 44_100, 16_000);
    const elapsed = performance.now() - started;
    console.log(`resample 60 s 44.1 kHz → 16 kHz: ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(3_000);
  });
});
