/** Signal math for the audio tests, independent of the resampler under test. */

/** Hann-windowed sinc interpolation over 32 input samples each side: the input, at a higher rate. */
export function sincInterpolate(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  const half = 32;
  const out = new Float32Array(Math.round((samples.length * toRate) / fromRate));
  for (let i = 0; i < out.length; i++) {
    const at = (i * fromRate) / toRate;
    const k = Math.floor(at);
    let sum = 0;
    for (let j = Math.max(0, k - half + 1); j <= Math.min(samples.length - 1, k + half); j++) {
      const x = at - j;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      sum += (samples[j] as number) * sinc * (0.5 + 0.5 * Math.cos((Math.PI * x) / half));
    }
    out[i] = sum;
  }
  return out;
}

/** Signal-to-error ratio of `actual` against `expected` over their common length, in dB. */
export function snrDb(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let signal = 0;
  let error = 0;
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    signal += (expected[i] as number) ** 2;
    error += ((actual[i] as number) - (expected[i] as number)) ** 2;
  }
  return 10 * Math.log10(signal / error);
}
