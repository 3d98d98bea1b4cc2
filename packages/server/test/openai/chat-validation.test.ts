import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_SIZE } from '../support/fake-llm-gateway.js';
import { type OpenAiTestApp, startOpenAiTestApp } from '../support/openai-test-app.js';

const user = { role: 'user', content: 'hi' };
const base = { model: 'tiny-llm', messages: [user] };
const weather = { type: 'function', function: { name: 'get_weather' } };

const cases: [string, Record<string, unknown>, string][] = [
  ['empty messages', { messages: [] }, 'messages'],
  ['no messages', { messages: undefined }, 'messages'],
  ['an unknown role', { messages: [{ role: 'bot', content: 'hi' }] }, 'messages.0.role'],
  ['a user message without content', { messages: [{ role: 'user' }] }, 'messages.0.content'],
  [
    'a tool message without tool_call_id',
    { messages: [user, { role: 'tool', content: 'x' }] },
    'messages.1.tool_call_id',
  ],
  [
    'an image part',
    {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          ],
        },
      ],
    },
    'messages.0.content.1.type',
  ],
  ['n = 0', { n: 0 }, 'n'],
  ['n = 17 (above our cap of 16)', { n: 17 }, 'n'],
  ['max_tokens = 0', { max_tokens: 0 }, 'max_tokens'],
  [
    'max_completion_tokens beyond the context',
    { max_completion_tokens: CONTEXT_SIZE + 1 },
    'max_completion_tokens',
  ],
  ['five stop sequences', { stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
  ['temperature above 2', { temperature: 2.5 }, 'temperature'],
  ['top_p above 1', { top_p: 1.5 }, 'top_p'],
  ['presence_penalty below -2', { presence_penalty: -3 }, 'presence_penalty'],
  ['top_logprobs above 20', { logprobs: true, top_logprobs: 21 }, 'top_logprobs'],
  ['top_logprobs without logprobs', { top_logprobs: 2 }, 'top_logprobs'],
  ['a non-empty logit_bias', { logit_bias: { '42': 5 } }, 'logit_bias'],
  ['an unknown response_format', { response_format: { type: 'yaml' } }, 'response_format.type'],
  [
    'a tool_choice naming no tool',
    { tools: [weather], tool_choice: { type: 'function', function: { name: 'nope' } } },
    'tool_choice.function.name',
  ],
  ['tool_choice required without tools', { tool_choice: 'required' }, 'tool_choice'],
  ['129 tools', { tools: Array.from({ length: 129 }, () => weather) }, 'tools'],
  [
    'a bad tool name',
    { tools: [{ type: 'function', function: { name: 'has space' } }] },
    'tools.0.function.name',
  ],
  ['stream not a boolean', { stream: 'yes' }, 'stream'],
  ['a model that does not generate text', { model: 'embedder' }, 'model'],
];

describe('chat request validation', () => {
  let t: OpenAiTestApp;
  beforeAll(async () => {
    t = await startOpenAiTestApp();
  });
  afterAll(() => t.close());

  it.each(cases)('refuses %s with 400 and param', async (_name, patch, param) => {
    const body = { ...base, ...patch } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
    const err = await t.client.chat.completions.create(body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.status).toBe(400);
    expect(bad.param).toBe(param);
    expect(bad.type).toBe('invalid_request_error');
    expect(bad.code).toBe('validation_failed');
    expect(bad.message).toContain(param);
  });

  it('says why an image part was refused', async () => {
    const res = await t.post('/v1/chat/completions', {
      ...base,
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }],
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: expect.stringContaining("content parts of type 'image_url' are not supported"),
        type: 'invalid_request_error',
        param: 'messages.0.content.0.type',
        code: 'validation_failed',
      },
    });
  });

  it('refuses a body that is not JSON in the OpenAI shape', async () => {
    const res = await t.post('/v1/chat/completions', undefined, { body: '{"model":' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  });

  it('never calls the gateway for a refused request', async () => {
    const before = t.gateway.calls.length;
    await t.post('/v1/chat/completions', { ...base, n: 0 });
    expect(t.gateway.calls.length).toBe(before);
  });
});
