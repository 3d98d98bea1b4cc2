/**
 * How loud mono audio is over time, in 20-ms frames (whisper's timestamp step), and which frames
 * carry speech-level sound. Both uses are conservative: audio counts as inaudible only when it is
 * near digital silence, and as speech only when it stands well above its stretch's noise floor, so
 * speech in loud noise is never skipped; at worst it is not recognised as speech.
 */
const FRAME_S = 0.02;
/** Frames quieter than this (RMS, dBFS) are inaudible: digital silence, dither, a muted input. */
const INAUDIBLE_DB = -70;
/** Speech frames stand this far above the stretch's noise floor (its 10th-percentile frame)… */
const ABOVE_FLOOR_DB = 15;
/** …and no further than this below its loudest frame. */
const BELOW_PEAK_DB = 40;

export interface AudioLevels {
  /** RMS level of each frame in dBFS; the last frame may be shorter. */
  db: Float32Array;
}

export function audioLevels(samples: Float32Array, sampleRate: number): AudioLevels {
  const frame = Math.max(1, Math.round(sampleRate * FRAME_S));
  const db = new Float32Array(Math.ceil(samples.length / frame));
  for (let f = 0; f < db.length; f++) {
    const from = f * frame;
    const to = Math.min(from + frame, samples.length);
    let energy = 0;
    for (let i = from; i < to; i++) energy += (samples[i] as number) ** 2;
    db[f] = 10 * Math.log10(energy / (to - from) + 1e-20);
  }
  return { db };
}

const frameAt = (s: number) => Math.max(0, Math.floor(s / FRAME_S + 1e-9));

/** Where the first audible frame at or after `fromS` starts, in seconds; undefined if none follows. */
export function firstAudibleS(levels: AudioLevels, fromS: number): number | undefined {
  for (let f = frameAt(fromS); f < levels.db.length; f++)
    if ((levels.db[f] as number) > INAUDIBLE_DB) return Math.max(fromS, f * FRAME_S);
  return undefined;
}

/** The speech frames of the stretch [fromS, toS), judged against the stretch's own floor and peak. */
export interface StretchSpeech {
  /** Seconds of speech-level frames from `atS` (relative to the stretch's start) to its end. */
  secondsAfter(atS: number): number;
}

export function stretchSpeech(levels: AudioLevels, fromS: number, toS: number): StretchSpeech {
  const frames = levels.db.subarray(frameAt(fromS), Math.min(levels.db.length, Math.ceil(toS / FRAME_S)));
  const sorted = Float32Array.from(frames).sort();
  const floor = sorted[Math.floor(0.1 * (sorted.length - 1))] ?? 0;
  const peak = sorted[sorted.length - 1] ?? 0;
  const threshold = Math.max(floor + ABOVE_FLOOR_DB, peak - BELOW_PEAK_DB, INAUDIBLE_DB);
  // after[f]: speech frames from frame f to the end.
  const after = new Uint32Array(frames.length + 1);
  for (let f = frames.length - 1; f >= 0; f--)
    after[f] = (after[f + 1] as number) + ((frames[f] as number) > threshold ? 1 : 0);
  return {
    secondsAfter: (atS) => (after[Math.min(frameAt(atS), frames.length)] as number) * FRAME_S,
  };
}
