import type { LogitsProcessorList, Tensor } from '@huggingface/transformers';
import type { WhisperTokenIds } from './whisper-tokens.js';

/**
 * Speech after the decoder's last timestamp that it may not leave untranscribed. Shorter remnants
 * are let go: whisper's timestamps can run a few hundred milliseconds early, and a forced segment
 * over a word's tail or a breath would make the model invent text.
 */
export const MIN_SPEECH_LEFT_S = 0.5;

/** Edits the next-token scores of one sequence in place. */
export type ScoreRule = (tokens: readonly bigint[], scores: Float32Array) => void;

/**
 * Whisper may end a window's transcript at a pause although speech follows: after closing a
 * segment the choice between `<|endoftext|>` and the next segment's timestamp can be a near tie
 * (0.51 against 0.49 on the test sample), which CPU-specific int8 kernels decide either way. This
 * rule takes `<|endoftext|>` away right after a closing timestamp when at least
 * `MIN_SPEECH_LEFT_S` of speech-level audio follows it in the window, and keeps the next timestamp
 * from going back in time, so the decoder goes on from there with the whole window still in view.
 * It also asks for a closing timestamp before the end, so that position is always known. Each
 * timestamp is held open at most once, which bounds what a stubborn decoder can be pushed into.
 */
export function endOfSpeechGuard(ids: WhisperTokenIds, speechAfterS: (atS: number) => number): ScoreRule {
  const heldOpen = new Set<number>();
  return (tokens, scores) => {
    const last = Number(tokens[tokens.length - 1] ?? -1);
    const before = Number(tokens[tokens.length - 2] ?? -1);
    if (last >= 0 && last < ids.eos) {
      scores[ids.eos] = Number.NEGATIVE_INFINITY;
      return;
    }
    // After the prompt or a segment's opening timestamp, text comes next: nothing to decide here.
    if (last < ids.timestampBegin || before >= ids.eos || heldOpen.has(last)) return;
    if (speechAfterS((last - ids.timestampBegin) * ids.secondsPerStep) < MIN_SPEECH_LEFT_S) return;
    heldOpen.add(last);
    scores[ids.eos] = Number.NEGATIVE_INFINITY;
    scores.fill(Number.NEGATIVE_INFINITY, ids.timestampBegin, last);
  };
}

type LogitsClasses = Pick<
  typeof import('@huggingface/transformers'),
  'LogitsProcessor' | 'LogitsProcessorList'
>;

/** `rules` as a transformers.js logits processor list, for `generate({ logits_processor })`. */
export function logitsProcessors(lib: LogitsClasses, rules: ScoreRule[]): LogitsProcessorList {
  class ScoreRules extends lib.LogitsProcessor {
    override _call(inputIds: bigint[][], logits: Tensor): Tensor {
      const scores = logits.data as Float32Array;
      const vocabulary = scores.length / inputIds.length;
      inputIds.forEach((tokens, row) => {
        const rowScores = scores.subarray(row * vocabulary, (row + 1) * vocabulary);
        for (const rule of rules) rule(tokens, rowScores);
      });
      return logits;
    }
  }
  const list = new lib.LogitsProcessorList();
  list.push(new ScoreRules());
  return list;
}
