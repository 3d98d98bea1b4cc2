import type { GenerationEvent, GenerationRequest } from '../../wire/index.js';
import { countTokens } from './token-usage.js';

/** Characters per token when a prompt has not been tokenized yet (rate limits only, never billing). */
const CHARS_PER_TOKEN = 4;

/** A request's prompt tokens before tokenization: each prompt once, however many choices it has. */
export function estimatePromptTokens(
  requests: readonly GenerationRequest[],
  choicesPerPrompt: number,
): number {
  let chars = 0;
  requests.forEach((request, index) => {
    if (index % choicesPerPrompt !== 0) return;
    if (request.kind === 'completion') chars += request.prompt.length;
    else for (const m of request.messages) chars += (m.content ?? '').length + 8;
  });
  return estimateTextTokens(chars);
}

export function estimateTextTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / CHARS_PER_TOKEN));
}

/**
 * Tokens of a request as its events pass: exact once a choice ends, counted piece by piece before,
 * so a stream cut short still reports the tokens it actually sent.
 */
export class TokenTally {
  private readonly prompt = new Map<number, number>();
  private readonly completion = new Map<number, number>();

  constructor(private readonly choicesPerPrompt: number) {}

  observe(index: number, event: GenerationEvent): void {
    switch (event.type) {
      case 'start':
        this.prompt.set(index, event.promptTokens);
        break;
      case 'text':
        if (event.text.length > 0)
          this.completion.set(index, (this.completion.get(index) ?? 0) + (event.tokens ?? 1));
        break;
      case 'end':
        this.prompt.set(index, event.promptTokens);
        this.completion.set(index, event.completionTokens);
        break;
    }
  }

  totals(): { promptTokens: number; completionTokens: number } {
    const choices = [...this.prompt.keys()].map((index) => ({
      index,
      promptTokens: this.prompt.get(index) ?? 0,
      completionTokens: this.completion.get(index) ?? 0,
    }));
    return countTokens(choices, this.choicesPerPrompt);
  }
}
