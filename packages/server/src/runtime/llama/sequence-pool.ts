import type { LlamaContextSequence } from 'node-llama-cpp';
import { AppError } from '../../platform/errors/index.js';

/**
 * The context's sequences (parallel slots). A generation holds one from its first token to its
 * last. The runner's queue lets at most as many generations run as there are sequences, so one
 * is always free when a generation starts; waiting happens in that queue, not here. Sequences of
 * one context decode in the same batches, so concurrent requests share each pass over the weights.
 */
export class SequencePool {
  readonly #free: LlamaContextSequence[];
  #closed = false;

  constructor(sequences: LlamaContextSequence[]) {
    this.#free = [...sequences];
  }

  get idle(): number {
    return this.#free.length;
  }

  take(): LlamaContextSequence {
    if (this.#closed)
      throw new AppError('service_unavailable', 'The model is unloading.', { retryAfterS: 1 });
    const free = this.#free.pop();
    // The queue in front admits no more generations than sequences: this is a bug, not a load.
    if (!free) throw new AppError('internal_error', 'No free sequence: more generations run than sequences.');
    return free;
  }

  /** Clears the sequence's state, so the next request starts clean, and puts it back. */
  async release(sequence: LlamaContextSequence): Promise<void> {
    if (sequence.disposed) return;
    try {
      await sequence.clearHistory();
    } catch {
      // Still usable: LlamaChat and LlamaCompletion adapt a sequence's state to their own tokens.
      if (sequence.disposed) return;
    }
    this.#free.push(sequence);
  }

  close(): void {
    this.#closed = true;
  }
}
