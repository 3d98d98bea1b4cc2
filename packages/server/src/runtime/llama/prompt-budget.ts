import { AppError } from '../../platform/errors/index.js';

/**
 * Tokens the reply may use. The prompt must leave one token free besides itself (LlamaChat drops
 * history otherwise), and the reply stops at the end of the context instead of shifting it, so a
 * long reply ends as `length` rather than silently forgetting its prompt.
 */
export function replyBudget(
  promptTokens: number,
  maxTokens: number,
  contextSize: number,
  param: string,
): number {
  if (promptTokens === 0) throw new AppError('validation_failed', 'The prompt is empty.', { param });
  if (promptTokens + 1 >= contextSize) {
    const noRoom = promptTokens < contextSize ? ', with no room left for the reply' : '';
    throw new AppError(
      'context_length_exceeded',
      `prompt has ${promptTokens} tokens, the context holds ${contextSize}${noRoom}`,
      {
        param,
      },
    );
  }
  return Math.min(maxTokens, contextSize - promptTokens - 1);
}
