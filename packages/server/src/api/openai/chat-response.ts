import type { FinishReason, TokenLogprob, ToolCall } from '../../wire/index.js';
import type { GenerationResult } from './collect-generation.js';
import type { CompletionMeta } from './completion-meta.js';
import { renderChatLogprobs } from './render-logprobs.js';
import type { ChunkRenderer } from './stream-generations.js';
import { renderUsage, type TokenCounts } from './token-usage.js';

const renderToolCall = (call: ToolCall) => ({
  id: call.id,
  type: 'function' as const,
  function: { name: call.name, arguments: call.arguments },
});

/** `CreateChatCompletionResponse`. */
export function renderChatCompletion(
  meta: CompletionMeta,
  results: readonly GenerationResult[],
  counts: TokenCounts,
  withLogprobs: boolean,
) {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: results.map((r) => ({
      index: r.index,
      message: {
        role: 'assistant',
        // OpenAI sends null content with tool calls and no text.
        content: r.text.length === 0 && r.toolCalls.length > 0 ? null : r.text,
        refusal: null,
        ...(r.toolCalls.length > 0 ? { tool_calls: r.toolCalls.map(renderToolCall) } : {}),
        annotations: [],
      },
      logprobs: withLogprobs ? renderChatLogprobs(r.logprobs) : null,
      finish_reason: r.finishReason,
    })),
    usage: renderUsage(counts),
    system_fingerprint: meta.systemFingerprint,
  };
}

/** `CreateChatCompletionStreamResponse` chunks; tool calls are numbered per choice across events. */
export function chatChunkRenderer(meta: CompletionMeta, includeUsage: boolean): ChunkRenderer {
  const toolCallsSeen = new Map<number, number>();
  const chunk = (choices: unknown[]) => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    system_fingerprint: meta.systemFingerprint,
    choices,
    ...(includeUsage ? { usage: null } : {}),
  });
  const delta = (index: number, d: object, logprobs: TokenLogprob[] | undefined = undefined) =>
    chunk([
      { index, delta: d, logprobs: logprobs ? renderChatLogprobs(logprobs) : null, finish_reason: null },
    ]);
  return {
    open: (index) => [delta(index, { role: 'assistant', content: '' })],
    text: (index, text, logprobs) => delta(index, { content: text }, logprobs),
    toolCalls: (index, calls) =>
      calls.flatMap((call) => {
        const at = toolCallsSeen.get(index) ?? 0;
        toolCallsSeen.set(index, at + 1);
        return [
          delta(index, {
            tool_calls: [
              { index: at, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
            ],
          }),
          delta(index, { tool_calls: [{ index: at, function: { arguments: call.arguments } }] }),
        ];
      }),
    finish: (index, reason: FinishReason) =>
      chunk([{ index, delta: {}, logprobs: null, finish_reason: reason }]),
    usage: (counts) => ({ ...chunk([]), usage: renderUsage(counts) }),
  };
}
