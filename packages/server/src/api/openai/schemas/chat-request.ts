import { z } from 'zod';
import { samplingFields } from './sampling-fields.js';

/** OpenAI's limit on tools per request. */
export const MAX_TOOLS = 128;

const namePattern = /^[a-zA-Z0-9_-]{1,64}$/;

const contentPart = z.object({ type: z.string(), text: z.string().optional() }).superRefine((part, ctx) => {
  if (part.type !== 'text')
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      message: `content parts of type '${part.type}' are not supported; this server accepts text only`,
    });
  else if (part.text === undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required' });
});

const content = z.union([z.string(), z.array(contentPart)]);

const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const message = z.discriminatedUnion(
  'role',
  [
    z.object({ role: z.literal('system'), content }),
    z.object({ role: z.literal('developer'), content }),
    z.object({ role: z.literal('user'), content }),
    z.object({
      role: z.literal('assistant'),
      content: content.nullish(),
      tool_calls: z.array(toolCall).nullish(),
    }),
    z.object({ role: z.literal('tool'), content, tool_call_id: z.string().min(1) }),
  ],
  { error: 'role must be one of system, developer, user, assistant, tool' },
);

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().regex(namePattern, 'must be 1-64 letters, digits, _ or -'),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(namePattern, 'must be 1-64 letters, digits, _ or -'),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);

/** `POST /v1/chat/completions` (`CreateChatCompletionRequest`), the subset a local model can honour. */
export const chatRequestSchema = z
  .object({
    ...samplingFields,
    messages: z.array(message).min(1),
    max_completion_tokens: z.int().min(1).nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.int().min(0).max(20).nullish(),
    response_format: responseFormat.nullish(),
    tools: z.array(tool).max(MAX_TOOLS).nullish(),
    tool_choice: toolChoice.nullish(),
    // Accepted and ignored: they do not change what the model generates.
    parallel_tool_calls: z.boolean().nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
    store: z.boolean().nullish(),
  })
  .superRefine((body, ctx) => {
    if (body.top_logprobs != null && !body.logprobs)
      ctx.addIssue({ code: 'custom', path: ['top_logprobs'], message: 'requires logprobs to be true' });
    checkTools(body.tools ?? [], body.tool_choice, ctx);
  });

function checkTools(
  tools: z.infer<typeof tool>[],
  choice: z.infer<typeof toolChoice> | null | undefined,
  ctx: z.RefinementCtx,
): void {
  const names = tools.map((t) => t.function.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i)
      ctx.addIssue({
        code: 'custom',
        path: ['tools', i, 'function', 'name'],
        message: 'duplicate tool name',
      });
  });
  if (choice === 'required' && tools.length === 0)
    ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: "'required' needs tools" });
  if (typeof choice === 'object' && choice !== null && !names.includes(choice.function.name))
    ctx.addIssue({
      code: 'custom',
      path: ['tool_choice', 'function', 'name'],
      message: `no tool named '${choice.function.name}' in tools`,
    });
}

export type ChatRequestBody = z.infer<typeof chatRequestSchema>;
export type ChatMessageBody = z.infer<typeof message>;
export type ChatContentBody = z.infer<typeof content>;
