import { describe, expect, it } from 'vitest';
import { audioLevels, firstAudibleS, stretchSpeech } from '../../src/runtime/pipelines/audio/index.js';
import {
  type DecodeWindow,
  transcribeLongForm,
  transcriptText,
  type WindowTranscript,
} from '../../src/runtime/transformers/long-form-transcription.js';
import { mulberry32 } from '../../src/training/index.js';

const rate = 1_000;

/** Silence with 0.5-amplitude bursts of a 100 Hz tone at the given [start, end) seconds. */
function bursts(seconds: number, spans: [number, number][], noise = 0): Float32Array {
  const random = mulberry32(3);
  return Float32Array.from({ length: seconds * rate }, (_, i) => {
    const t = i / rate;
    const on = spans.some(([from, to]) => t >= from && t < to);
    return (on ? 0.5 * Math.sin(2 * Math.PI * 100 * t) : 0) + (random() - 0.5) * 2 * noise;
  });
}

/** A decoder that records what it was given and answers from a script, one entry per window. */
function scripted(answers: ((length: number) => WindowTranscript)[]) {
  const calls: { startSample: number; length: number; speechAfter0: number }[] = [];
  const decode: DecodeWindow = async (window, speechAfterS) => {
    calls.push({ startSample: window.byteOffset / 4, length: window.length, speechAfter0: speechAfterS(0) });
    const answer = answers[calls.length - 1];
    if (!answer) throw new Error(`unexpected window ${calls.length}`);
    return answer(window.length);
  };
  return { decode, calls };
}

const live = new AbortController().signal;

describe('long-form transcription, window by window', () => {
  it('goes on from where each window’s transcript ends, and from its end when consumed', async () => {
    const audio = bursts(70, [[0, 70]]);
    const fake = scripted([
      () => ({ segments: [{ text: ' One.', startS: 0, endS: 27.5 }], resumeS: 27.5 }),
      () => ({ segments: [{ text: ' Two.', startS: 0.2, endS: 29 }], resumeS: null }),
      () => ({ segments: [{ text: ' Three.', startS: 0, endS: 12.5 }], resumeS: null }),
    ]);
    const segments = await transcribeLongForm(audio, rate, 30, fake.decode, live);
    expect(fake.calls.map((c) => [c.startSample, c.length])).toEqual([
      [0, 30_000],
      [27_500, 30_000],
      [57_500, 12_500],
    ]);
    expect(segments).toEqual([
      { text: ' One.', startS: 0, endS: 27.5 },
      { text: ' Two.', startS: 27.7, endS: 56.5 },
      { text: ' Three.', startS: 57.5, endS: 70 },
    ]);
    expect(transcriptText(segments)).toBe('One. Two. Three.');
  });

  it('skips inaudible audio, keeping half a second before speech starts', async () => {
    const audio = bursts(40, [[32, 35]]);
    const fake = scripted([() => ({ segments: [{ text: ' Hi.', startS: 0.5, endS: 3.5 }], resumeS: null })]);
    const segments = await transcribeLongForm(audio, rate, 30, fake.decode, live);
    expect(fake.calls).toEqual([{ startSample: 31_500, length: 8_500, speechAfter0: expect.closeTo(3, 6) }]);
    expect(segments).toEqual([{ text: ' Hi.', startS: 32, endS: 35 }]);
    const silent = scripted([]);
    expect(await transcribeLongForm(new Float32Array(40 * rate), rate, 30, silent.decode, live)).toEqual([]);
  });

  it('always moves forward, and keeps segment times in order and within the audio', async () => {
    const audio = bursts(40, [[0, 40]]);
    const fake = scripted([
      () => ({ segments: [{ text: ' A', startS: 0, endS: 20 }], resumeS: 0 }),
      () => ({
        segments: [
          { text: ' B', startS: 0, endS: 5 },
          { text: ' C', startS: 4, endS: 30 },
        ],
        resumeS: null,
      }),
    ]);
    const segments = await transcribeLongForm(audio, rate, 30, fake.decode, live);
    expect(fake.calls.map((c) => c.startSample)).toEqual([0, 30_000]);
    expect(segments).toEqual([
      { text: ' A', startS: 0, endS: 20 },
      { text: ' B', startS: 30, endS: 35 },
      { text: ' C', startS: 35, endS: 40 },
    ]);
  });

  it('stops between windows once aborted', async () => {
    const abort = new AbortController();
    const fake = scripted([
      () => {
        abort.abort(new Error('caller went away'));
        return { segments: [], resumeS: null };
      },
    ]);
    await expect(
      transcribeLongForm(bursts(70, [[0, 70]]), rate, 30, fake.decode, abort.signal),
    ).rejects.toThrow('caller went away');
    expect(fake.calls).toHaveLength(1);
  });
});

describe('speech activity', () => {
  it('finds the first audible frame, and measures speech after a point of a stretch', () => {
    const levels = audioLevels(
      bursts(10, [
        [2, 3],
        [5, 5.6],
      ]),
      rate,
    );
    expect(firstAudibleS(levels, 0)).toBeCloseTo(2, 2);
    expect(firstAudibleS(levels, 3.5)).toBeCloseTo(5, 2);
    expect(firstAudibleS(levels, 6)).toBeUndefined();
    const speech = stretchSpeech(levels, 1, 10);
    expect(speech.secondsAfter(0)).toBeCloseTo(1.6, 1);
    expect(speech.secondsAfter(2.5)).toBeCloseTo(0.6, 1);
    expect(speech.secondsAfter(9)).toBe(0);
  });

  it('judges speech against the stretch’s own noise floor, and counts none in steady noise', () => {
    const noisy = audioLevels(bursts(10, [[4, 6]], 0.02), rate);
    expect(stretchSpeech(noisy, 0, 10).secondsAfter(0)).toBeCloseTo(2, 1);
    const steady = audioLevels(bursts(10, [], 0.05), rate);
    expect(firstAudibleS(steady, 0)).toBe(0);
    expect(stretchSpeech(steady, 0, 10).secondsAfter(0)).toBe(0);
  });
});
