import type { ChatHistoryItem, LlamaGrammar, Token } from 'node-llama-cpp';
import { AppError } from '../../platform/errors/index.js';
import type { GenerationRequest } from '../../wire/index.js';
import { toChatHistory } from './chat-history.js';
import type { LlamaRuntime } from './llama-runtime.js';
import { replyBudget } from './prompt-budget.js';
import { type LlamaSampling, llamaSampling } from './sampling-options.js';
import { responseGrammar } from './schema-grammar.js';
import { type ToolMode, toolModeFor } from './tool-mode.js';

/** A request checked and translated before it waits for a sequence: every 400 happens here. */
export type GenerationPlan = {
  promptTokens: number;
  /** The prompt's last tokens: the text of the first generated token depends on them. */
  promptTail: Token[];
  sampling: LlamaSampling;
  /** Stop strings, matched on the reply text as it streams. */
  stop: string[];
  topLogprobs: number | undefined;
} & (
  | { kind: 'completion'; tokens: Token[]; grammar: LlamaGrammar | undefined }
  | { kind: 'chat'; history: ChatHistoryItem[]; grammar: LlamaGrammar | undefined; tools: ToolMode }
);

type ChatRequest = Extract<GenerationRequest, { kind: 'chat' }>;
type CompletionRequest = Extract<GenerationRequest, { kind: 'completion' }>;

export function planGeneration(rt: LlamaRuntime, request: GenerationRequest): Promise<GenerationPlan> {
  return request.kind === 'chat' ? planChat(rt, request) : planCompletion(rt, request);
}

async function planCompletion(rt: LlamaRuntime, request: CompletionRequest): Promise<GenerationPlan> {
  const grammar = await responseGrammar(rt.llama, request.responseFormat);
  // Tokenized as llama.cpp's own server does (with the tokenizer's leading space); LlamaCompletion
  // prepends the BOS token itself.
  const tokens = rt.model.tokenize(request.prompt);
  const bos = rt.model.tokens.shouldPrependBosToken && rt.model.tokens.bos !== null;
  const promptTokens = tokens.length + (bos ? 1 : 0);
  const maxTokens = replyBudget(promptTokens, request.maxTokens, rt.context.contextSize, 'prompt');
  return { kind: 'completion', tokens, grammar, promptTokens, ...common(request, tokens, maxTokens) };
}

async function planChat(rt: LlamaRuntime, request: ChatRequest): Promise<GenerationPlan> {
  const tools = await toolModeFor(rt.llama, request.tools, request.toolChoice);
  const grammar = await responseGrammar(rt.llama, request.responseFormat);
  if (grammar && tools.kind !== 'none')
    throw new AppError(
      'validation_failed',
      "response_format cannot be combined with tools unless tool_choice is 'none'.",
      { param: 'response_format' },
    );
  const base = toChatHistory(request.messages);
  const history = tools.kind === 'forced' ? withSystemText(base, tools.instructions) : base;
  const state = rt.chatWrapper.generateContextState({
    chatHistory: history,
    ...(tools.kind === 'auto' ? { availableFunctions: tools.functions, documentFunctionParams: true } : {}),
  });
  const tokens = state.contextText.tokenize(rt.model.tokenizer);
  const promptTokens = tokens.length;
  const maxTokens = replyBudget(promptTokens, request.maxTokens, rt.context.contextSize, 'messages');
  return { kind: 'chat', history, grammar, tools, promptTokens, ...common(request, tokens, maxTokens) };
}

function common(request: GenerationRequest, tokens: Token[], maxTokens: number) {
  return {
    promptTail: tokens.slice(-8),
    sampling: llamaSampling(request, maxTokens),
    stop: request.stop,
    topLogprobs: request.topLogprobs,
  };
}

/** Adds text to the first system message, or starts the history with one. */
function withSystemText(history: ChatHistoryItem[], text: string): ChatHistoryItem[] {
  const first = history[0];
  if (first?.type === 'system' && typeof first.text === 'string')
    return [{ type: 'system', text: `${first.text}\n\n${text}` }, ...history.slice(1)];
  return [{ type: 'system', text }, ...history];
}
