import {
  type ChatWrapper,
  LlamaChat,
  type LlamaChatResponseChunk,
  type LlamaContextSequence,
} from 'node-llama-cpp';
import { newId } from '../../platform/index.js';
import type { ToolCall } from '../../wire/index.js';
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
  const forced = plan.tools.kind === 'forced';
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
    if (plan.tools.kind === 'auto') {
      const result = await chat.generateResponse(plan.history, {
        ...options,
        functions: plan.tools.functions,
        documentFunctionParams: true,
      });
      const calls = (result.functionCalls ?? []).map((call) => toolCall(call.functionName, call.params));
      if (calls.length > 0) return { finishReason: 'tool_calls', toolCalls: calls };
      return { finishReason: finishReasonOf(result.metadata.stopReason) };
    }
    const grammar = plan.tools.kind === 'forced' ? plan.tools.grammar : plan.grammar;
    const result = await chat.generateResponse(plan.history, { ...options, ...(grammar ? { grammar } : {}) });
    const finishReason = finishReasonOf(result.metadata.stopReason);
    if (!forced) return { finishReason };
    const call = parseForcedCall(result.response);
    if (call) return { finishReason: 'tool_calls', toolCalls: [call] };
    // Cut short (length or abort) before the call was complete: what there is goes out as text.
    onText(result.response, []);
    return { finishReason };
  } finally {
    chat.dispose({ disposeSequence: false });
  }
}

function parseForcedCall(text: string): ToolCall | undefined {
  try {
    const parsed = JSON.parse(text) as { name?: unknown; arguments?: unknown };
    if (typeof parsed.name !== 'string') return undefined;
    return toolCall(parsed.name, parsed.arguments);
  } catch {
    return undefined;
  }
}

function toolCall(name: string, args: unknown): ToolCall {
  return { id: newId('call'), name, arguments: JSON.stringify(args ?? {}) };
}
