import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { TokenLogprob } from '../../wire/index.js';

interface Sampled {
  token: Token;
  probabilities: ReadonlyMap<Token, number> | undefined;
}

type EvaluateWithMetadata = (
  tokens: Token[],
  metadata: { probabilities?: boolean; confidence?: boolean },
  options?: unknown,
) => AsyncGenerator<{ token: Token; probabilities?: Map<Token, number> }, void, unknown>;

/**
 * Log-probabilities of the tokens a generation samples. LlamaChat and LlamaCompletion (3.22) do not
 * report them, but both sample through `sequence.evaluate`, which delegates to
 * `evaluateWithMetadata`; for one request, the sequence's own method is shadowed so every sampled
 * token also carries the distribution it came from. At temperature 0 that is the model's full
 * softmax; above, the distribution after top-k/top-p filtering.
 */
export class TokenLogprobs {
  readonly #sampled: Sampled[] = [];
  #previous: Token[];

  constructor(
    private readonly sequence: LlamaContextSequence,
    private readonly model: LlamaModel,
    private readonly top: number,
    promptTail: readonly Token[],
  ) {
    // Detokenized alone, a token loses its leading space; after the prompt, it reads as in the text.
    this.#previous = [...promptTail];
    const original = sequence.evaluateWithMetadata as unknown as EvaluateWithMetadata;
    const sampled = this.#sampled;
    const tapped: EvaluateWithMetadata = async function* (
      this: LlamaContextSequence,
      tokens,
      metadata,
      options,
    ) {
      const inner = original.call(this, tokens, { ...metadata, probabilities: true }, options);
      try {
        let input: unknown;
        while (true) {
          const next = await inner.next(input);
          if (next.done) return;
          sampled.push({ token: next.value.token, probabilities: next.value.probabilities });
          input = yield next.value;
        }
      } finally {
        await inner.return();
      }
    };
    Object.defineProperty(sequence, 'evaluateWithMetadata', {
      value: tapped,
      configurable: true,
      writable: true,
    });
  }

  /** The entries for tokens released as output, in order; sampled tokens never released are skipped. */
  take(tokens: readonly Token[]): TokenLogprob[] {
    const out: TokenLogprob[] = [];
    for (const token of tokens) {
      let entry = this.#sampled.shift();
      while (entry && entry.token !== token) entry = this.#sampled.shift();
      out.push(this.#entry(token, entry?.probabilities));
      this.#previous = [...this.#previous.slice(-8), token];
    }
    return out;
  }

  /** Back to the prototype's method. */
  restore(): void {
    Reflect.deleteProperty(this.sequence, 'evaluateWithMetadata');
  }

  #entry(token: Token, probabilities: ReadonlyMap<Token, number> | undefined): TokenLogprob {
    const top: TokenLogprob['top'] = [];
    for (const [candidate, p] of probabilities ?? []) {
      if (top.length >= this.top || p <= 0) break;
      top.push({ token: this.#text(candidate), logprob: Math.log(p) });
    }
    const p = probabilities?.get(token) ?? 0;
    // A token outside the reported distribution (a grammar forced it) gets the lowest finite value.
    return { token: this.#text(token), logprob: p > 0 ? Math.log(p) : -9999, top };
  }

  #text(token: Token): string {
    return this.model.detokenize([token], false, this.#previous);
  }
}
