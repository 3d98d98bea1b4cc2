import type { Tensor } from '@huggingface/transformers';
import { AppError } from '../../platform/errors/index.js';
import { modelConfig, type PipelineParts } from './pipeline-parts.js';

/** Texts per model run: bounds the padded batch's memory, and lets an abort stop between runs. */
export const TEXT_BATCH_SIZE = 32;

export interface TokenizedBatch {
  /** `input_ids`, `attention_mask` and `token_type_ids` when the tokenizer makes them, [batch, seq]. */
  inputs: Record<string, Tensor>;
  /** Tokens of each text, special tokens included. */
  lengths: number[];
}

/** The fewest tokens the tokenizer or the position embeddings allow; a huge placeholder counts as none. */
export function maxTokensOf(parts: PipelineParts): number {
  const limits = [Number(parts.tokenizer.model_max_length), modelConfig(parts).max_position_embeddings];
  const real = limits.filter(
    (n): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0 && n < 1e9,
  );
  return real.length > 0 ? Math.min(...real) : Number.POSITIVE_INFINITY;
}

/** `[offset, texts]` slices of TEXT_BATCH_SIZE texts. */
export function textBatches(texts: string[]): [number, string[]][] {
  const batches: [number, string[]][] = [];
  for (let at = 0; at < texts.length; at += TEXT_BATCH_SIZE)
    batches.push([at, texts.slice(at, at + TEXT_BATCH_SIZE)]);
  return batches;
}

/**
 * Padded model inputs for `texts`. A text over the model's limit is refused (400) rather than
 * silently cut, as the llama runner does: a truncated text would be classified or embedded wrongly.
 */
export function tokenizeTexts(
  parts: PipelineParts,
  texts: string[],
  where: { offset: number; param: string; maxTokens: number },
): TokenizedBatch {
  const lengths = texts.map((text) => parts.tokenizer.encode(text).length);
  lengths.forEach((length, i) => {
    if (length > where.maxTokens)
      throw new AppError(
        'validation_failed',
        `${where.param}[${where.offset + i}] has ${length} tokens; the model takes at most ${where.maxTokens}.`,
        { param: where.param },
      );
  });
  const inputs = parts.tokenizer(texts, { padding: true, truncation: true }) as Record<string, Tensor>;
  return { inputs, lengths };
}
