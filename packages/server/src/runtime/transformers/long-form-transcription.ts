import { audioLevels, firstAudibleS, stretchSpeech } from '../pipelines/audio/index.js';

/** A stretch of transcript, times in seconds. */
export interface Segment {
  text: string;
  startS: number;
  endS: number;
}

export interface WindowTranscript {
  /** Times from the window's start. */
  segments: Segment[];
  /** Where to go on from, relative to the window's start; `null` when the window was consumed. */
  resumeS: number | null;
}

/**
 * Transcribes one window (at most `windowS` long). `speechAfterS(t)` tells how much speech-level
 * audio the window holds after `t` seconds from its start.
 */
export type DecodeWindow = (
  window: Float32Array,
  speechAfterS: (atS: number) => number,
) => Promise<WindowTranscript>;

/** Inaudible audio before speech is skipped up to this much before it, so onsets stay whole. */
const LEAD_IN_S = 0.5;

/**
 * Whisper's sequential long-form decoding: a window at the current position, then on from where
 * its transcript ends (the end of its last complete segment, or the window's end when the
 * decoder closed it), so nothing is decoded twice and no two windows' texts need merging.
 * Stretches of inaudible audio are not decoded at all, which also keeps whisper from making up
 * text over silence. Aborts are seen between windows, and within one at each decoder step.
 */
export async function transcribeLongForm(
  audio: Float32Array,
  sampleRate: number,
  windowS: number,
  decodeWindow: DecodeWindow,
  signal: AbortSignal,
): Promise<Segment[]> {
  const levels = audioLevels(audio, sampleRate);
  const durationS = audio.length / sampleRate;
  const segments: Segment[] = [];
  let seekS = 0;
  while (seekS < durationS) {
    signal.throwIfAborted();
    const audibleS = firstAudibleS(levels, seekS);
    if (audibleS === undefined) break;
    seekS = Math.max(seekS, audibleS - LEAD_IN_S);
    const from = Math.round(seekS * sampleRate);
    const to = Math.min(from + Math.round(windowS * sampleRate), audio.length);
    const endS = to / sampleRate;
    const speech = stretchSpeech(levels, seekS, endS);
    const window = await decodeWindow(audio.subarray(from, to), speech.secondsAfter);
    appendSegments(segments, window.segments, seekS, durationS);
    const resumeS = window.resumeS === null ? endS : seekS + window.resumeS;
    // Always forward, even if a decoder resumes where it started.
    seekS = resumeS > seekS ? resumeS : endS;
  }
  return segments;
}

/** Appends a window's segments at `offsetS`, within the audio and never going back in time. */
function appendSegments(into: Segment[], window: Segment[], offsetS: number, durationS: number): void {
  const ms = (s: number) => Math.round(Math.min(s, durationS) * 1000) / 1000;
  for (const segment of window) {
    const startS = Math.max(ms(offsetS + segment.startS), into[into.length - 1]?.endS ?? 0);
    const endS = Math.max(ms(offsetS + segment.endS), startS);
    into.push({ text: segment.text, startS, endS });
  }
}

/** The whole text: segment texts as decoded (they carry their own leading spaces), trimmed. */
export function transcriptText(segments: Segment[]): string {
  return segments
    .map((s) => s.text)
    .join('')
    .trim();
}
