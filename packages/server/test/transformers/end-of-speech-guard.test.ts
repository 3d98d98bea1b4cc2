import { describe, expect, it } from 'vitest';
import { endOfSpeechGuard, MIN_SPEECH_LEFT_S } from '../../src/runtime/transformers/end-of-speech-guard.js';
import type { WhisperTokenIds } from '../../src/runtime/transformers/whisper-tokens.js';

const ids: WhisperTokenIds = { eos: 50257, timestampBegin: 50364, secondsPerStep: 0.02 };
const vocabulary = ids.timestampBegin + 1501;
const prompt = [50258n, 50259n, 50359n];
const at = (s: number) => BigInt(ids.timestampBegin + Math.round(s / ids.secondsPerStep));
const text = 1000n;

/** Speech-level audio from 1.86 s to 3.3 s, as in the test sample's "this is a test". */
const speechAfterS = (atS: number) => Math.max(0, 3.3 - Math.max(atS, 1.86));

function scoresAfter(guard: ReturnType<typeof endOfSpeechGuard>, tokens: bigint[]): Float32Array {
  const scores = new Float32Array(vocabulary);
  guard(tokens, scores);
  return scores;
}

const ended = (scores: Float32Array) => scores[ids.eos] === Number.NEGATIVE_INFINITY;

describe('the end-of-speech guard', () => {
  it('keeps the decoder from stopping after a closing timestamp while speech follows it', () => {
    const guard = endOfSpeechGuard(ids, speechAfterS);
    const scores = scoresAfter(guard, [...prompt, at(0), text, at(2)]);
    expect(ended(scores)).toBe(true);
    // The next segment may start at 2.00 s or later, not earlier.
    expect(scores[Number(at(1.98))]).toBe(Number.NEGATIVE_INFINITY);
    expect(scores[Number(at(2))]).toBe(0);
    expect(scores[Number(text)]).toBe(0);
  });

  it(`lets it stop once less than ${MIN_SPEECH_LEFT_S} s of speech follows`, () => {
    const guard = endOfSpeechGuard(ids, speechAfterS);
    expect(ended(scoresAfter(guard, [...prompt, at(0), text, at(2), at(2), text, at(3)]))).toBe(false);
    expect(ended(scoresAfter(guard, [...prompt, at(0), text, at(2.9)]))).toBe(false);
  });

  it('holds each timestamp open only once, so a decoder that insists can still stop', () => {
    const guard = endOfSpeechGuard(ids, speechAfterS);
    const tokens = [...prompt, at(0), text, at(2)];
    expect(ended(scoresAfter(guard, tokens))).toBe(true);
    expect(ended(scoresAfter(guard, [...tokens, at(2), text, at(2)]))).toBe(false);
  });

  it('asks for a closing timestamp before the end, and leaves segment starts to whisper', () => {
    const guard = endOfSpeechGuard(ids, () => 0);
    expect(ended(scoresAfter(guard, [...prompt, at(0), text]))).toBe(true);
    expect(ended(scoresAfter(guard, [...prompt, at(0)]))).toBe(false);
    expect(ended(scoresAfter(guard, [...prompt, at(0), text, at(1), at(1)]))).toBe(false);
    expect(ended(scoresAfter(guard, prompt))).toBe(false);
  });
});
