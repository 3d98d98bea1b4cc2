import type { LlmTarget } from '../../deploy/index.js';
import type {
  ChatMessage,
  GenerationRequest,
  ResponseFormat,
  ToolChoice,
  ToolSpec,
} from '../../wire/index.js';
import type { ChatContentBody, ChatMessageBody, ChatRequestBody } from './schemas/chat-request.js';
import { toSamplingOptions } from './to-sampling-options.js';

/** Translates a validated OpenAI chat body into our generation request (one per choice). */
export function toChatRequest(body: ChatRequestBody, target: LlmTarget): GenerationRequest {
  const topLogprobs = body.logprobs ? (body.top_logprobs ?? 0) : undefined;
  const tools = (body.tools ?? []).map(toToolSpec);
  const responseFormat = body.response_format ? toResponseFormat(body.response_format) : undefined;
  const toolChoice = body.tool_choice ? toToolChoice(body.tool_choice) : undefined;
  return {
    kind: 'chat',
    ...toSamplingOptions(body, target, topLogprobs),
    messages: body.messages.map(toChatMessage),
    ...(responseFormat ? { responseFormat } : {}),
    ...(tools.length > 0 ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
  };
}

function toChatMessage(message: ChatMessageBody): ChatMessage {
  const content = textOf(message.content);
  if (message.role === 'tool') return { role: 'tool', content, toolCallId: message.tool_call_id };
  if (message.role === 'assistant' && message.tool_calls?.length)
    return {
      role: 'assistant',
      content,
      toolCalls: message.tool_calls.map((c) => ({
        id: c.id,
        name: c.function.name,
        arguments: c.function.arguments,
      })),
    };
  return { role: message.role, content };
}

/** Text parts are joined with newlines, as vLLM does; other part types were refused by the schema. */
function textOf(content: ChatContentBody | null | undefined): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('\n');
}

function toToolSpec(tool: NonNullable<ChatRequestBody['tools']>[number]): ToolSpec {
  const { name, description, parameters } = tool.function;
  return {
    name,
    ...(description == null ? {} : { description }),
    ...(parameters == null ? {} : { parameters }),
  };
}

/** A `json_schema` without a schema only asks for JSON, which is what `json_object` means. */
function toResponseFormat(format: NonNullable<ChatRequestBody['response_format']>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const { name, schema } = format.json_schema;
  return schema == null ? { type: 'json_object' } : { type: 'json_schema', name, schema };
}

function toToolChoice(choice: NonNullable<ChatRequestBody['tool_choice']>): ToolChoice {
  return typeof choice === 'string' ? choice : { name: choice.function.name };
}
