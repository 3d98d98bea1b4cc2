import type { LlamaEmbeddingContext } from 'node-llama-cpp';
import { AppError } from '../../platform/errors/index.js';
import type { EmbedRequest, EmbedResponse } from '../../wire/index.js';
import type { Work } from '../contract.js';
import type { LlamaRuntime } from './llama-runtime.js';

/** Embeddings from a second, embedding-only context, created on first use (most models never embed). */
export class Embedder {
  #context: Promise<LlamaEmbeddingContext> | undefined;

  constructor(private readonly rt: LlamaRuntime) {}

  /** Checks every input fits the context (400 otherwise), then returns the embedding work. */
  async embed(request: EmbedRequest): Promise<Work<EmbedResponse>> {
    const context = await this.#open();
    const limit = this.rt.context.contextSize;
    const lengths = request.input.map((text) => context.calculateInputLength(text));
    lengths.forEach((length, i) => {
      if (length > limit)
        throw new AppError(
          'context_length_exceeded',
          `input[${i}] has ${length} tokens, the context holds ${limit}`,
          {
            param: 'input',
          },
        );
    });
    return async (signal) => {
      const embeddings: number[][] = [];
      for (const text of request.input) {
        signal.throwIfAborted();
        embeddings.push([...(await context.getEmbeddingFor(text)).vector]);
      }
      return { embeddings, promptTokens: lengths.reduce((sum, n) => sum + n, 0) };
    };
  }

  async close(): Promise<void> {
    const context = this.#context;
    this.#context = undefined;
    if (context) await (await context.catch(() => undefined))?.dispose();
  }

  #open(): Promise<LlamaEmbeddingContext> {
    if (this.#context) return this.#context;
    const created = this.rt.model.createEmbeddingContext({
      contextSize: this.rt.context.contextSize,
      threads: this.rt.threads,
    });
    this.#context = created;
    // A failed creation is retried by the next request rather than remembered.
    created.catch(() => {
      if (this.#context === created) this.#context = undefined;
    });
    return created;
  }
}
