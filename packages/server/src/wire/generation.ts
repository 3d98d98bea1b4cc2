/**
 * Text generation and embeddings: what the llama backend implements and what travels over the
 * runner protocol (`POST /v1/generate` streams these events as NDJSON; `POST /v1/embed`).
 * Field names are ours, not OpenAI's: `api/openai/` translates.
 */
import type { ErrorCode } from '@modelport/contracts';

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text of the arguments, as the model produced it. */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** For `tool` messages: the call they answer. */
  toolCallId?: string;
  /** For `assistant` messages that called tools. */
  toolCalls?: ToolCall[];
}

export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON schema of the arguments. */
  parameters?: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown> };

export interface SamplingOptions {
  maxTokens: number;
  temperature: number;
  topP: number;
  seed?: number;
  /** Generation ends before any of these strings; they are not part of the output. */
  stop: string[];
  presencePenalty: number;
  frequencyPenalty: number;
  /** Number of alternatives per token to report with log-probabilities; absent means none. */
  topLogprobs?: number;
}

export type GenerationRequest = SamplingOptions &
  (
    | {
        kind: 'chat';
        messages: ChatMessage[];
        responseFormat?: ResponseFormat;
        tools?: ToolSpec[];
        toolChoice?: ToolChoice;
      }
    | { kind: 'completion'; prompt: string; responseFormat?: ResponseFormat }
  );

export interface TokenLogprob {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export type GenerationEvent =
  /** First event: the prompt was accepted and evaluation starts. */
  | { type: 'start'; promptTokens: number }
  /** `tokens`: how many sampled tokens the piece holds (absent: counted as one). */
  | { type: 'text'; text: string; tokens?: number; logprobs?: TokenLogprob[] }
  | { type: 'tool_calls'; calls: ToolCall[] }
  | { type: 'end'; finishReason: FinishReason; promptTokens: number; completionTokens: number }
  /** A failure after the stream started; before it, the runner answers with an HTTP error instead. */
  | { type: 'error'; code: ErrorCode; message: string };

export interface EmbedRequest {
  input: string[];
}

export interface EmbedResponse {
  embeddings: number[][];
  promptTokens: number;
}

export interface LlmInfo {
  architecture: string | null;
  contextSize: number;
  trainContextSize: number;
  parallel: number;
  hasChatTemplate: boolean;
  /** The chat wrapper in use (the GGUF's template, or a fallback such as Llama 2). */
  chatWrapper: string;
}

/** `GET /v1/stats` of any runner: work running now, and requests waiting for a turn. */
export interface RunnerStats {
  running: number;
  waiting: number;
}
