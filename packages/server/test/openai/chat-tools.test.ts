import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAiTestApp, sseEvents, startOpenAiTestApp } from '../support/openai-test-app.js';

const tools: OpenAI.Chat.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
  { type: 'function', function: { name: 'get_time' } },
];
const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];

describe('tool calls on /v1/chat/completions', () => {
  let t: OpenAiTestApp;
  beforeAll(async () => {
    t = await startOpenAiTestApp();
  });
  afterAll(() => t.close());

  it('passes tools and tool_choice on and returns the calls', async () => {
    const res = await t.client.chat.completions.create({
      model: 'tiny-llm',
      messages,
      tools,
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    const request = t.gateway.lastCall().request;
    expect(request.kind === 'chat' && request.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Weather in a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
      { name: 'get_time' },
    ]);
    expect(request.kind === 'chat' && request.toolChoice).toEqual({ name: 'get_time' });
    expect(res.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{"city":"Paris"}' } },
        ],
      },
    });
  });

  it('streams tool calls that the SDK accumulates', async () => {
    const stream = t.client.chat.completions.stream({
      model: 'tiny-llm',
      messages,
      tools,
      tool_choice: 'auto',
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call).toMatchObject({ id: 'call_1', type: 'function', function: { name: 'get_weather' } });
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('sends the id, type and name in the first piece and the arguments after it', async () => {
    const res = await t.post('/v1/chat/completions', { model: 'tiny-llm', messages, tools, stream: true });
    const deltas = sseEvents(await res.text())
      .slice(0, -1)
      .map((e) => JSON.parse(e).choices[0]?.delta)
      .filter((d) => d?.tool_calls);
    expect(deltas).toEqual([
      {
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] },
    ]);
  });

  it('translates an assistant turn with tool calls and the tool result', async () => {
    await t.client.chat.completions.create({
      model: 'tiny-llm',
      tool_choice: 'none',
      tools,
      messages: [
        ...messages,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_9', content: [{ type: 'text', text: 'Sunny' }] },
      ],
    });
    const request = t.gateway.lastCall().request;
    expect(request.kind === 'chat' && request.messages.slice(1)).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: '{}' }] },
      { role: 'tool', content: 'Sunny', toolCallId: 'call_9' },
    ]);
    expect(request.kind === 'chat' && request.toolChoice).toBe('none');
  });
});
