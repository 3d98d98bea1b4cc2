import { AppError } from '../../platform/errors/index.js';
import type { FinishReason, TokenLogprob, ToolCall } from '../../wire/index.js';
import type { ClientConnection } from './client-connection.js';
import { generationError } from './generation-error.js';
import type { Generation } from './start-generations.js';
import type { ChoiceTokens } from './token-usage.js';

export interface GenerationResult extends ChoiceTokens {
  text: string;
  toolCalls: ToolCall[];
  logprobs: TokenLogprob[];
  finishReason: FinishReason;
}

/** Runs every choice to its end; the first failure stops the others and is thrown. */
export function collectGenerations(
  generations: readonly Generation[],
  client: ClientConnection,
): Promise<GenerationResult[]> {
  return Promise.all(
    generations.map((g) =>
      collectGeneration(g).catch((err: unknown) => {
        client.abort();
        throw err;
      }),
    ),
  );
}

async function collectGeneration(generation: Generation): Promise<GenerationResult> {
  let text = '';
  const toolCalls: ToolCall[] = [];
  const logprobs: TokenLogprob[] = [];
  for await (const event of generation.events) {
    switch (event.type) {
      case 'text':
        text += event.text;
        if (event.logprobs) logprobs.push(...event.logprobs);
        break;
      case 'tool_calls':
        toolCalls.push(...event.calls);
        break;
      case 'error':
        throw generationError(event);
      case 'end':
        return {
          index: generation.index,
          text,
          toolCalls,
          logprobs,
          finishReason: event.finishReason,
          promptTokens: event.promptTokens,
          completionTokens: event.completionTokens,
        };
    }
  }
  throw new AppError('runner_failed', 'The generation stopped before it finished.');
}
