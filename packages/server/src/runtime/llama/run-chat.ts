import {
  type ChatWrapper,
  LlamaChat,
  type LlamaChatResponseChunk,
  type LlamaContextSequence,
} from 'node-llama-cpp';
import { forcedToolCall, toolCall } from './forced-call.js';
import type { GenerationPlan } from './generation-plan.js';
import type { ReplyOutcome, ReplyText } from './reply.js';
import { finishReasonOf } from './sampling-options.js';

type ChatPlan = Extract<GenerationPlan, { kind: 'chat' }>;

/** A chat reply on the sequence through the chat wrapper; tool calls are returned, never run. */
export async function runChat(
  sequence: LlamaContextSequence,
  chatWrapper: ChatWrapper,
  plan: ChatPlan,
  signal: AbortSignal,
  onText: ReplyText,
): Promise<ReplyOutcome> {
  const chat = new LlamaChat({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
  const { tools } = plan;
  const forced = tools.kind === 'forced';
  const options = {
    ...plan.sampling,
    signal,
    stopOnAbortSignal: true,
    // Thought segments are not part of the reply; a forced tool call is not text.
    onResponseChunk: (chunk: LlamaChatResponseChunk) => {
      if (chunk.type === undefined && !forced) onText(chunk.text, chunk.tokens);
    },
  };
  try {
    if (tools.kind === 'auto') {
      const result = await chat.generateResponse(plan.history, {
        ...options,
        functions: tools.functions,
        documentFunctionParams: true,
      });
      const calls = (result.functionCalls ?? []).map((call) =>
        toolCall(call.functionName, JSON.stringify(call.params ?? {})),
      );
      if (calls.length > 0) return { finishReason: 'tool_calls', toolCalls: calls };
      return { finishReason: finishReasonOf(result.metadata.stopReason) };
    }
    const grammar = tools.kind === 'forced' ? tools.grammar : plan.grammar;
    const result = await chat.generateResponse(plan.history, { ...options, ...(grammar ? { grammar } : {}) });
    const finishReason = finishReasonOf(result.metadata.stopReason);
    if (tools.kind !== 'forced') return { finishReason };
    const forcedCall = forcedToolCall(result.response, tools.names);
    if (!forcedCall) return { finishReason };
    // A call cut short (max_tokens) keeps its finish reason: the caller learns its arguments are partial.
    return { finishReason: forcedCall.complete ? 'tool_calls' : finishReason, toolCalls: [forcedCall.call] };
  } finally {
    chat.dispose({ disposeSequence: false });
  }
}
