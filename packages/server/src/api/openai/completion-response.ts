import type { GenerationResult } from './collect-generation.js';
import type { CompletionMeta } from './completion-meta.js';
import { renderCompletionLogprobs } from './render-logprobs.js';
import type { ChunkRenderer } from './stream-generations.js';
import { renderUsage, type TokenCounts } from './token-usage.js';

export interface CompletionShape {
  /** The prompt of each choice (choice `i` answers prompt `floor(i / n)`). */
  promptOf(index: number): string;
  echo: boolean;
  withLogprobs: boolean;
}

/** `CreateCompletionResponse` (`object: text_completion`). */
export function renderCompletion(
  meta: CompletionMeta,
  results: readonly GenerationResult[],
  counts: TokenCounts,
  shape: CompletionShape,
) {
  return {
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: meta.systemFingerprint,
    choices: results.map((r) => {
      const prefix = shape.echo ? shape.promptOf(r.index) : '';
      return {
        index: r.index,
        text: prefix + r.text,
        logprobs: shape.withLogprobs ? renderCompletionLogprobs(r.logprobs, prefix.length) : null,
        finish_reason: r.finishReason,
      };
    }),
    usage: renderUsage(counts),
  };
}

/** Streamed legacy completions: every chunk is a `text_completion` with one choice's text piece. */
export function completionChunkRenderer(
  meta: CompletionMeta,
  shape: CompletionShape,
  includeUsage: boolean,
): ChunkRenderer {
  const offsets = new Map<number, number>();
  const chunk = (choices: unknown[]) => ({
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: meta.systemFingerprint,
    choices,
    ...(includeUsage ? { usage: null } : {}),
  });
  const piece = (index: number, text: string, logprobs: unknown, finishReason: string | null) =>
    chunk([{ index, text, logprobs, finish_reason: finishReason }]);
  return {
    open: (index) => {
      if (!shape.echo) return [];
      const prompt = shape.promptOf(index);
      offsets.set(index, prompt.length);
      return [piece(index, prompt, null, null)];
    },
    text: (index, text, logprobs) => {
      const at = offsets.get(index) ?? 0;
      offsets.set(index, at + text.length);
      const rendered = shape.withLogprobs ? renderCompletionLogprobs(logprobs ?? [], at) : null;
      return piece(index, text, rendered, null);
    },
    toolCalls: () => [],
    finish: (index, reason) => piece(index, '', null, reason),
    usage: (counts) => ({ ...chunk([]), usage: renderUsage(counts) }),
  };
}
