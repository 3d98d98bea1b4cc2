import type { Token } from 'node-llama-cpp';
import type { FinishReason, ToolCall } from '../../wire/index.js';

/** Receives the reply's text as node-llama-cpp releases it, with the tokens it came from. */
export type ReplyText = (text: string, tokens: readonly Token[]) => void;

export interface ReplyOutcome {
  finishReason: FinishReason;
  toolCalls?: ToolCall[];
}
