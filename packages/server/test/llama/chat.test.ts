import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { GenerationEvent } from '../../src/wire/generation.js';
import { expectAppError } from '../support/expect-app-error.js';
import { chat, collect, loadStories, need, type StoriesModel } from '../support/stories.js';

const weatherArgs = z.object({ city: z.string(), days: z.int(), unit: z.enum(['celsius', 'fahrenheit']) });

describe('llama chat (stories260K, Llama 2 fallback wrapper)', () => {
  let llm: StoriesModel | undefined;
  beforeAll(async () => {
    llm = await loadStories({ contextSize: 2048 });
  });
  afterAll(async () => {
    await llm?.unload();
  });

  it('uses the Llama 2 wrapper for a model without a chat template', (ctx) => {
    expect(need(llm, ctx).info()).toEqual({
      architecture: 'llama',
      contextSize: 2048,
      trainContextSize: 2048,
      parallel: 1,
      hasChatTemplate: false,
      chatWrapper: 'Llama2Chat',
    });
  });

  it('answers a user message', async (ctx) => {
    const { events, text, end } = await collect(need(llm, ctx), chat('Tell me a story about a cat.'));
    expect(events[0]?.type).toBe('start');
    expect(text.length).toBeGreaterThan(0);
    expect(end).toMatchObject({ finishReason: 'length', completionTokens: 20 });
  });

  it('takes system messages and a history with tool calls and their results', async (ctx) => {
    const { text, end } = await collect(need(llm, ctx), {
      ...chat(''),
      messages: [
        { role: 'developer', content: 'You tell short stories.' },
        { role: 'user', content: 'What is the weather?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: 'sunny' },
        { role: 'user', content: 'And then?' },
      ],
    });
    expect(text.length).toBeGreaterThan(0);
    expect(end?.finishReason).toBe('length');
  });

  it('refuses a tool message that answers no call', async (ctx) => {
    const request = {
      ...chat(''),
      messages: [{ role: 'tool' as const, toolCallId: 'call_x', content: 'sunny' }],
    };
    await expectAppError(collect(need(llm, ctx), request), 'validation_failed', /call_x/);
  });

  it('writes parseable JSON for json_object', async (ctx) => {
    const { text, end } = await collect(
      need(llm, ctx),
      chat('Describe a dog as JSON.', { maxTokens: 200, responseFormat: { type: 'json_object' } }),
    );
    expect(['stop', 'length']).toContain(end?.finishReason);
    expect(text.trimStart().startsWith('{')).toBe(true);
    if (end?.finishReason === 'stop') expect(() => JSON.parse(text)).not.toThrow();
  });

  it('writes JSON valid against a json_schema', async (ctx) => {
    const pet = z.object({
      name: z.string().max(12),
      age: z.int(),
      kind: z.enum(['cat', 'dog']),
      tags: z.array(z.string().max(8)).max(3),
      owner: z.object({ name: z.string().max(12), adult: z.boolean() }).nullable(),
    });
    const schema = z.toJSONSchema(pet) as Record<string, unknown>;
    const { text, end } = await collect(
      need(llm, ctx),
      chat('Describe a pet.', {
        maxTokens: 400,
        responseFormat: { type: 'json_schema', name: 'pet', schema },
      }),
    );
    expect(end?.finishReason).toBe('stop');
    expect(pet.safeParse(JSON.parse(text)).error).toBeUndefined();
  });

  it('refuses a json_schema with features the grammar cannot enforce, naming them', async (ctx) => {
    const schema = {
      type: 'object',
      properties: { code: { type: 'string', pattern: '^[A-Z]{3}$' }, n: { type: 'integer', minimum: 1 } },
    };
    const err = await expectAppError(
      collect(need(llm, ctx), chat('Hi', { responseFormat: { type: 'json_schema', name: 'x', schema } })),
      'validation_failed',
      /pattern at \/properties\/code.*minimum at \/properties\/n/,
    );
    expect(err.status).toBe(400);
    expect(err.param).toBe('response_format');
  });

  it('calls the tool with schema-valid arguments when tool_choice is required', async (ctx) => {
    const { events, end } = await collect(
      need(llm, ctx),
      chat('What is the weather in Paris?', {
        maxTokens: 300,
        tools: [
          { name: 'get_weather', description: 'Weather forecast', parameters: z.toJSONSchema(weatherArgs) },
          { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } },
        ],
        toolChoice: 'required',
      }),
    );
    const calls = events.find(
      (e): e is Extract<GenerationEvent, { type: 'tool_calls' }> => e.type === 'tool_calls',
    );
    expect(calls?.calls).toHaveLength(1);
    const call = calls?.calls[0];
    expect(call?.id).toMatch(/^call_[0-9A-Za-z]{20}$/);
    expect(['get_weather', 'get_time']).toContain(call?.name);
    const args: unknown = JSON.parse(call?.arguments ?? 'null');
    if (call?.name === 'get_weather') expect(weatherArgs.safeParse(args).error).toBeUndefined();
    else expect(args).toEqual({ zone: expect.any(String) });
    expect(end?.finishReason).toBe('tool_calls');
    expect(events.some((e) => e.type === 'text')).toBe(false);
  });

  it('calls the named tool when tool_choice names one', async (ctx) => {
    const { events, end } = await collect(
      need(llm, ctx),
      chat('Weather?', {
        maxTokens: 300,
        tools: [{ name: 'get_time' }, { name: 'get_weather', parameters: z.toJSONSchema(weatherArgs) }],
        toolChoice: { name: 'get_weather' },
      }),
    );
    const calls = events.find(
      (e): e is Extract<GenerationEvent, { type: 'tool_calls' }> => e.type === 'tool_calls',
    );
    expect(calls?.calls[0]?.name).toBe('get_weather');
    expect(weatherArgs.safeParse(JSON.parse(calls?.calls[0]?.arguments ?? 'null')).error).toBeUndefined();
    expect(end?.finishReason).toBe('tool_calls');
  });

  it('offers tools in auto mode: the reply is text or tool calls', async (ctx) => {
    const { events, end } = await collect(
      need(llm, ctx),
      chat('What is the weather in Paris?', {
        maxTokens: 30,
        tools: [
          { name: 'get_weather', description: 'Weather forecast', parameters: z.toJSONSchema(weatherArgs) },
        ],
      }),
    );
    const calls = events.some((e) => e.type === 'tool_calls');
    expect(end?.finishReason).toBe(calls ? 'tool_calls' : 'length');
    expect(end?.promptTokens).toBeGreaterThan(300);
  });

  it('refuses response_format together with tools the model may call', async (ctx) => {
    await expectAppError(
      collect(
        need(llm, ctx),
        chat('Hi', { tools: [{ name: 'a' }], responseFormat: { type: 'json_object' } }),
      ),
      'validation_failed',
      /tool_choice is 'none'/,
    );
  });

  it('stops a chat reply before a stop sequence', async (ctx) => {
    const model = need(llm, ctx);
    const plain = await collect(model, chat('Tell me a story about a cat.', { maxTokens: 40 }));
    const word = plain.text.trim().split(' ')[2] ?? '';
    const stopped = await collect(
      model,
      chat('Tell me a story about a cat.', { maxTokens: 40, stop: [word] }),
    );
    expect(stopped.end?.finishReason).toBe('stop');
    expect(stopped.text).not.toContain(word);
    expect(plain.text.startsWith(stopped.text.trimEnd())).toBe(true);
  });

  it('refuses a tool_choice that names no given tool', async (ctx) => {
    await expectAppError(
      collect(need(llm, ctx), chat('Hi', { tools: [{ name: 'a' }], toolChoice: { name: 'b' } })),
      'validation_failed',
      /"b"/,
    );
  });
});
