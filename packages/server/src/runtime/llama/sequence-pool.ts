import type { LlamaContextSequence } from 'node-llama-cpp';
import { AppError } from '../../platform/errors/index.js';

interface Waiter {
  resolve(sequence: LlamaContextSequence): void;
  reject(reason: unknown): void;
  detach(): void;
}

/**
 * The context's sequences (parallel slots). A request holds one from its first token to its last;
 * requests beyond the free sequences wait in FIFO order, at most `maxQueueSize` of them, each for
 * at most `queueTimeoutMs`. Sequences of one context decode in the same batches, so concurrent
 * requests share each pass over the weights.
 */
export class SequencePool {
  readonly #free: LlamaContextSequence[];
  readonly #waiters: Waiter[] = [];
  readonly #size: number;
  #closed = false;

  constructor(
    sequences: LlamaContextSequence[],
    private readonly maxQueueSize: number,
    private readonly queueTimeoutMs?: number,
  ) {
    this.#free = [...sequences];
    this.#size = sequences.length;
  }

  get idle(): number {
    return this.#free.length;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  acquire(signal: AbortSignal): Promise<LlamaContextSequence> {
    if (this.#closed) return Promise.reject(new AppError('service_unavailable', 'The model is unloading.'));
    if (signal.aborted) return Promise.reject(signal.reason);
    const free = this.#free.pop();
    if (free) return Promise.resolve(free);
    if (this.#waiters.length >= this.maxQueueSize)
      return Promise.reject(
        new AppError(
          'queue_full',
          `All ${this.#size} sequences are busy and ${this.#waiters.length} requests are waiting.`,
          { retryAfterS: 1 },
        ),
      );
    return new Promise((resolve, reject) => this.#wait(signal, resolve, reject));
  }

  /** Clears the sequence's state, so the next request starts clean, and hands it on. */
  async release(sequence: LlamaContextSequence): Promise<void> {
    if (sequence.disposed) return;
    try {
      await sequence.clearHistory();
    } catch {
      // Still usable: LlamaChat and LlamaCompletion adapt a sequence's state to their own tokens.
      if (sequence.disposed) return;
    }
    const next = this.#waiters.shift();
    if (!next) {
      this.#free.push(sequence);
      return;
    }
    next.detach();
    next.resolve(sequence);
  }

  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.detach();
      waiter.reject(new AppError('service_unavailable', 'The model is unloading.'));
    }
  }

  #wait(
    signal: AbortSignal,
    resolve: (sequence: LlamaContextSequence) => void,
    reject: (reason: unknown) => void,
  ): void {
    const leave = (reason: unknown) => {
      const at = this.#waiters.indexOf(waiter);
      if (at >= 0) this.#waiters.splice(at, 1);
      waiter.detach();
      reject(reason);
    };
    const onAbort = () => leave(signal.reason);
    const timer =
      this.queueTimeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              leave(
                new AppError('deadline_exceeded', `No sequence was free within ${this.queueTimeoutMs} ms.`),
              ),
            this.queueTimeoutMs,
          );
    const waiter: Waiter = {
      resolve,
      reject,
      detach: () => {
        signal.removeEventListener('abort', onAbort);
        clearTimeout(timer);
      },
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.#waiters.push(waiter);
  }
}
