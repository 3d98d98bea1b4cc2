import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from 'node-llama-cpp';
import { AppError } from '../../platform/errors/index.js';
import type { ChatMessage } from '../../wire/index.js';

/**
 * Our messages as node-llama-cpp's chat history: system and developer messages become system
 * items; an assistant's tool calls become function calls of its model response, and the matching
 * tool messages fill in their results. The history ends with the model response to generate.
 */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  const unanswered: ChatModelFunctionCall[] = [];
  messages.forEach((message, index) => {
    if (message.role === 'system' || message.role === 'developer')
      history.push({ type: 'system', text: message.content });
    else if (message.role === 'user') history.push({ type: 'user', text: message.content });
    else if (message.role === 'assistant') addAssistant(history, message, calls, unanswered);
    else answerCall(message, index, calls, unanswered);
  });
  // After tool results the model continues the same response, as node-llama-cpp's sessions do.
  if (!endsWithFunctionCall(history.at(-1))) history.push({ type: 'model', response: [] });
  return history;
}

function addAssistant(
  history: ChatHistoryItem[],
  message: ChatMessage,
  calls: Map<string, ChatModelFunctionCall>,
  unanswered: ChatModelFunctionCall[],
): void {
  const last = history.at(-1);
  const response: ChatModelResponse =
    last?.type === 'model' && endsWithFunctionCall(last) ? last : { type: 'model', response: [] };
  if (response !== last) history.push(response);
  if (message.content !== '') response.response.push(message.content);
  for (const call of message.toolCalls ?? []) {
    const item: ChatModelFunctionCall = {
      type: 'functionCall',
      name: call.name,
      params: parseArguments(call.arguments),
      result: null,
    };
    response.response.push(item);
    calls.set(call.id, item);
    unanswered.push(item);
  }
}

function answerCall(
  message: ChatMessage,
  index: number,
  calls: Map<string, ChatModelFunctionCall>,
  unanswered: ChatModelFunctionCall[],
): void {
  // Without an id, the oldest unanswered call is the one meant.
  const call = message.toolCallId === undefined ? unanswered[0] : calls.get(message.toolCallId);
  if (!call)
    throw new AppError(
      'validation_failed',
      `messages[${index}] answers tool call ${message.toolCallId ?? '(no id)'}, which no earlier assistant message made.`,
      { param: 'messages' },
    );
  call.result = message.content;
  const at = unanswered.indexOf(call);
  if (at >= 0) unanswered.splice(at, 1);
}

function endsWithFunctionCall(item: ChatHistoryItem | undefined): boolean {
  if (item?.type !== 'model') return false;
  const last = item.response.at(-1);
  return typeof last === 'object' && last.type === 'functionCall';
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
