import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Band-limited resampling with a Blackman-windowed sinc (about 74 dB stopband). When downsampling,
 * the cutoff moves below the target's Nyquist frequency, so content the new rate cannot hold is
 * removed instead of folding back as aliases (linear interpolation would fold it into speech bands).
 */

/** Zero crossings of the sinc on each side of the centre. */
const ZERO_CROSSINGS = 16;
/** Cutoff as a fraction of the lower Nyquist frequency, leaving room for the transition band. */
const ROLLOFF = 0.94;
/**
 * Fractional positions are rounded to 1/PHASES of an input sample, one precomputed filter each.
 * The timing error (≤ 1/2048 sample) stays below the filter's own stopband.
 */
const PHASES = 1024;
/** Output samples per slice; between slices the event loop runs (health checks) and aborts are seen. */
const SLICE = 1 << 16;

export async function resample(
  input: Float32Array,
  fromRate: number,
  toRate: number,
  signal?: AbortSignal,
): Promise<Float32Array> {
  if (fromRate === toRate) return input;
  const step = fromRate / toRate;
  // Relative to the input's Nyquist frequency: below 1 when downsampling.
  const cutoff = Math.min(1, toRate / fromRate) * ROLLOFF;
  const half = Math.ceil(ZERO_CROSSINGS / cutoff);
  const filters: (Float32Array | undefined)[] = [];
  // Rounded, so the duration is kept to within half an output sample.
  const out = new Float32Array(Math.round((input.length * toRate) / fromRate));
  for (let from = 0; from < out.length; from += SLICE) {
    for (let n = from; n < Math.min(from + SLICE, out.length); n++) {
      const center = n * step;
      const base = Math.floor(center);
      const phase = Math.round((center - base) * PHASES);
      filters[phase] ??= phaseFilter(phase / PHASES, half, cutoff);
      out[n] = dot(input, base - half, filters[phase]);
    }
    await nextTurn();
    signal?.throwIfAborted();
  }
  return out;
}

/** Weights of input samples base-half … base+half for an output at base + frac. */
function phaseFilter(frac: number, half: number, cutoff: number): Float32Array {
  const taps = new Float32Array(2 * half + 1);
  for (let j = 0; j < taps.length; j++) {
    // Distance in zero crossings of the cutoff-scaled sinc.
    const u = (j - half - frac) * cutoff;
    if (Math.abs(u) >= ZERO_CROSSINGS) continue;
    const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    const phase = (Math.PI * u) / ZERO_CROSSINGS;
    // Scaled by the cutoff so the filter passes DC at unit gain.
    taps[j] = cutoff * sinc * (0.42 + 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase));
  }
  return taps;
}

/** Samples beyond either end of the input count as silence. */
function dot(input: Float32Array, start: number, taps: Float32Array): number {
  const from = Math.max(0, -start);
  const to = Math.min(taps.length, input.length - start);
  let sum = 0;
  for (let j = from; j < to; j++) sum += (input[start + j] as number) * (taps[j] as number);
  return sum;
}
