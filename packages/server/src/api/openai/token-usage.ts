/** What one choice's `end` event reported. */
export interface ChoiceTokens {
  index: number;
  promptTokens: number;
  completionTokens: number;
}

export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
}

/**
 * Sums a request's usage. Like OpenAI, a prompt is counted once however many choices (`n`) it had;
 * choices `k*n … k*n+n-1` share prompt `k`.
 */
export function countTokens(choices: readonly ChoiceTokens[], choicesPerPrompt: number): TokenCounts {
  const promptByGroup = new Map<number, number>();
  let completionTokens = 0;
  for (const choice of choices) {
    const group = Math.floor(choice.index / choicesPerPrompt);
    promptByGroup.set(group, Math.max(promptByGroup.get(group) ?? 0, choice.promptTokens));
    completionTokens += choice.completionTokens;
  }
  let promptTokens = 0;
  for (const tokens of promptByGroup.values()) promptTokens += tokens;
  return { promptTokens, completionTokens };
}

/** `CompletionUsage`, with the detail objects clients read (all zero: no cache, audio or reasoning split). */
export function renderUsage(counts: TokenCounts) {
  return {
    prompt_tokens: counts.promptTokens,
    completion_tokens: counts.completionTokens,
    total_tokens: counts.promptTokens + counts.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
