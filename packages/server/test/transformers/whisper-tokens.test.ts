import { describe, expect, it } from 'vitest';
import { parseWindowTokens, type WhisperTokenIds } from '../../src/runtime/transformers/whisper-tokens.js';

// whisper-tiny's ids: <|endoftext|> 50257, <|startoftranscript|> 50258, <|en|> 50259, <|transcribe|> 50359.
const ids: WhisperTokenIds = { eos: 50257, timestampBegin: 50364, secondsPerStep: 0.02 };
const prompt = [50258, 50259, 50359];
const at = (s: number) => ids.timestampBegin + Math.round(s / ids.secondsPerStep);
const eot = ids.eos;

describe('splitting a window of whisper tokens into segments', () => {
  it('reads one closed segment, dropping the prompt and <|endoftext|>', () => {
    const parsed = parseWindowTokens([...prompt, at(0), 11, 12, at(2), eot], ids, 3.9);
    expect(parsed).toEqual({ segments: [{ startS: 0, endS: 2, tokens: [11, 12] }], resumeS: null });
  });

  it('splits at timestamp pairs, and takes a closing timestamp as the window consumed', () => {
    const tokens = [...prompt, at(0), 11, at(2), at(2), 12, 13, at(3.8), eot];
    expect(parseWindowTokens(tokens, ids, 30)).toEqual({
      segments: [
        { startS: 0, endS: 2, tokens: [11] },
        { startS: 2, endS: 3.8, tokens: [12, 13] },
      ],
      resumeS: null,
    });
  });

  it('resumes at the end of the last complete segment when the window cut the next one', () => {
    // A start timestamp with no text: whisper's sign that the window's end cut a segment.
    const cut = parseWindowTokens([...prompt, at(0), 11, at(27.5), at(28.1), eot], ids, 30);
    expect(cut).toEqual({ segments: [{ startS: 0, endS: 27.5, tokens: [11] }], resumeS: 27.5 });
  });

  it('drops an unfinished segment when the token budget ran out, and resumes before it', () => {
    const looping = parseWindowTokens([...prompt, at(0), 11, at(4), at(4), 12, 12, 12, 12], ids, 30);
    expect(looping).toEqual({ segments: [{ startS: 0, endS: 4, tokens: [11] }], resumeS: 4 });
  });

  it('keeps text that never got a closing timestamp, to the end of the window', () => {
    expect(parseWindowTokens([...prompt, at(0.4), 11, 12], ids, 12)).toEqual({
      segments: [{ startS: 0.4, endS: 12, tokens: [11, 12] }],
      resumeS: null,
    });
  });

  it('gives no segment for a window the decoder found empty', () => {
    expect(parseWindowTokens([...prompt, at(0), eot], ids, 30)).toEqual({ segments: [], resumeS: null });
    expect(parseWindowTokens([...prompt, eot], ids, 30)).toEqual({ segments: [], resumeS: null });
  });
});
