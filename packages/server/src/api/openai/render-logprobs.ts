import type { TokenLogprob } from '../../wire/index.js';

const bytesOf = (token: string) => [...Buffer.from(token, 'utf8')];

/** Chat's `logprobs.content[]` (`ChatCompletionTokenLogprob`). */
export function renderChatLogprobs(tokens: readonly TokenLogprob[]) {
  return {
    content: tokens.map((t) => ({
      token: t.token,
      logprob: t.logprob,
      bytes: bytesOf(t.token),
      top_logprobs: t.top.map((alt) => ({
        token: alt.token,
        logprob: alt.logprob,
        bytes: bytesOf(alt.token),
      })),
    })),
    refusal: null,
  };
}

/** Legacy completions' parallel arrays; `textOffset` is where the first token starts in the choice's text. */
export function renderCompletionLogprobs(tokens: readonly TokenLogprob[], textOffset: number) {
  const offsets: number[] = [];
  let at = textOffset;
  for (const t of tokens) {
    offsets.push(at);
    at += t.token.length;
  }
  return {
    tokens: tokens.map((t) => t.token),
    token_logprobs: tokens.map((t) => t.logprob),
    top_logprobs: tokens.map((t) => Object.fromEntries(t.top.map((alt) => [alt.token, alt.logprob]))),
    text_offset: offsets,
  };
}
