import { readFile } from 'node:fs/promises';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { sharedModelOrNull } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

const gguf = sharedModelOrNull('stories260k/stories260K.gguf');

describe.skipIf(!gguf)('the OpenAI API on llama.cpp (stories260K)', () => {
  let t: TestServer;
  let client: OpenAI;
  let ready = false;
  beforeAll(async () => {
    t = await startTestServer();
    client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: t.adminKey, maxRetries: 0 });
    await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'stories', task: 'text-generation' }),
    });
    await t.fetch('/api/v1/models/stories/versions', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: await readFile(gguf as string),
    });
    const dep = await t.fetch('/api/v1/deployments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'stories', threads: 1, llm: { parallel: 4, contextSize: 512 } }),
    });
    if (dep.status !== 201) throw new Error(`deploy: ${await dep.text()}`);
    await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'adder' }),
    });
    await t.fetch('/api/v1/models/adder/versions', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: addModel(1),
    });
    await t.fetch('/api/v1/deployments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'adder' }),
    });
    ready = true;
  }, 120_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('continues "Once upon a time" at temperature 0 as the model does', async () => {
    expect(ready).toBe(true);
    const res = await client.completions.create({
      model: 'stories',
      prompt: 'Once upon a time',
      max_tokens: 16,
      temperature: 0,
    });
    expect(res.choices[0]?.text.startsWith(', there was a little girl named Lily')).toBe(true);
    expect(res.choices[0]?.finish_reason).toBe('length');
    expect(res.usage?.completion_tokens).toBe(16);
    expect(res.usage?.total_tokens).toBe((res.usage?.prompt_tokens ?? 0) + 16);
  });

  it('streams chat completions with a usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'stories',
      messages: [{ role: 'user', content: 'Tell me a story about a cat.' }],
      max_tokens: 20,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBe('length');
    expect(usage?.completion_tokens).toBe(20);
  });

  it('stops at a stop sequence and leaves it out', async () => {
    const res = await client.completions.create({
      model: 'stories',
      prompt: 'Once upon a time',
      max_tokens: 40,
      temperature: 0,
      stop: ['Lily'],
    });
    expect(res.choices[0]?.text).toBe(', there was a little girl named ');
    expect(res.choices[0]?.finish_reason).toBe('stop');
  });

  it('gives the same output twice for the same seed', async () => {
    const ask = () =>
      client.completions.create({
        model: 'stories',
        prompt: 'The dog',
        max_tokens: 24,
        temperature: 0.9,
        seed: 7,
      });
    const [a, b] = [await ask(), await ask()];
    expect(a.choices[0]?.text).toBe(b.choices[0]?.text);
  });

  it('answers parseable JSON in JSON mode', async () => {
    const res = await client.chat.completions.create({
      model: 'stories',
      messages: [{ role: 'user', content: 'Give me a JSON object.' }],
      response_format: { type: 'json_object' },
      max_tokens: 200,
      temperature: 0,
    });
    if (res.choices[0]?.finish_reason === 'stop')
      expect(() => JSON.parse(res.choices[0]?.message.content ?? '')).not.toThrow();
    expect(res.choices[0]?.message.content?.trim().startsWith('{')).toBe(true);
  });

  it('serves parallel streams, each as it would alone', async () => {
    const one = (prompt: string) =>
      client.completions.create({ model: 'stories', prompt, max_tokens: 24, temperature: 0 });
    const prompts = ['Once upon a time', 'The cat', 'Tom and Sue', 'One day'];
    const alone = [];
    for (const p of prompts) alone.push((await one(p)).choices[0]?.text);
    const together = await Promise.all(prompts.map(async (p) => (await one(p)).choices[0]?.text));
    expect(together).toEqual(alone);
  });

  it('stops generating when the client goes away, and serves the next request', async () => {
    const completed = async () => {
      const text = await (await t.fetch('/metrics')).text();
      return Number(/modelport_llm_completion_tokens_total\{[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const before = await completed();
    const controller = new AbortController();
    const stream = await client.completions.create(
      { model: 'stories', prompt: 'Once upon a time', max_tokens: 400, temperature: 0, stream: true },
      { signal: controller.signal },
    );
    let chunks = 0;
    try {
      for await (const _ of stream) {
        if (++chunks === 3) controller.abort();
      }
    } catch {
      // The SDK may report the abort as an error; either way the stream is over.
    }
    expect(chunks).toBeLessThan(10);
    const next = await client.completions.create({
      model: 'stories',
      prompt: 'Once upon a time',
      max_tokens: 4,
      temperature: 0,
    });
    expect(next.choices[0]?.text.length).toBeGreaterThan(0);
    // The aborted request produced far fewer than its 400 tokens.
    expect((await completed()) - before - 4).toBeLessThan(100);
  });

  it('embeds text', async () => {
    const res = await client.embeddings.create({
      model: 'stories',
      input: ['a cat', 'a dog'],
      encoding_format: 'float',
    });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]?.embedding).toHaveLength(64);
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('calls a tool when told to, with arguments that fit its schema', async () => {
    const res = await client.chat.completions.create({
      model: 'stories',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ],
      tool_choice: 'required',
      max_tokens: 60,
      temperature: 0,
    });
    const choice = res.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    const args = JSON.parse(call?.type === 'function' ? call.function.arguments : '{}') as { city?: unknown };
    expect(typeof args.city).toBe('string');
  });

  describe('a forced tool call cut by max_tokens', () => {
    const weather = {
      model: 'stories',
      messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }],
      tools: [
        {
          type: 'function' as const,
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ],
      tool_choice: { type: 'function' as const, function: { name: 'get_weather' } },
      temperature: 0,
    };
    /** The arguments of the whole call at temperature 0, which the cut ones must begin. */
    const wholeArguments = async () => {
      const whole = await client.chat.completions.create({ ...weather, max_tokens: 200 });
      expect(whole.choices[0]?.finish_reason).toBe('tool_calls');
      const call = whole.choices[0]?.message.tool_calls?.[0];
      return call?.type === 'function' ? call.function.arguments : '';
    };
    const isJson = (text: string) => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    };

    it('is still a tool call, its arguments partial, with finish_reason length', async () => {
      const whole = await wholeArguments();
      const res = await client.chat.completions.create({ ...weather, max_tokens: 48 });
      const choice = res.choices[0];
      expect(choice?.finish_reason).toBe('length');
      expect(choice?.message.content).toBeNull();
      const call = choice?.message.tool_calls?.[0];
      expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
      const partial = call?.type === 'function' ? call.function.arguments : '';
      expect(partial.length).toBeGreaterThan(0);
      expect(whole.startsWith(partial) && partial !== whole).toBe(true);
      expect(isJson(partial)).toBe(false);
      expect(res.usage?.completion_tokens).toBe(48);
    });

    it('streams the cut call as tool_calls deltas, then finish_reason length', async () => {
      const whole = await wholeArguments();
      const stream = await client.chat.completions.create({ ...weather, max_tokens: 48, stream: true });
      let args = '';
      const names: string[] = [];
      let content = '';
      let finish: string | null = null;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        content += choice?.delta.content ?? '';
        for (const call of choice?.delta.tool_calls ?? []) {
          expect(call.index).toBe(0);
          if (call.function?.name) names.push(call.function.name);
          args += call.function?.arguments ?? '';
        }
        finish = choice?.finish_reason ?? finish;
      }
      expect({ names, content, finish }).toEqual({ names: ['get_weather'], content: '', finish: 'length' });
      expect(args.length).toBeGreaterThan(0);
      expect(whole.startsWith(args) && args !== whole).toBe(true);
    });
  });

  it('reports log-probabilities of the chosen tokens', async () => {
    const res = await client.chat.completions.create({
      model: 'stories',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 4,
      temperature: 0,
      logprobs: true,
      top_logprobs: 2,
    });
    const content = res.choices[0]?.logprobs?.content ?? [];
    expect(content.length).toBeGreaterThan(0);
    for (const entry of content) {
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.top_logprobs.length).toBe(2);
    }
  });

  it('addresses a version by number or alias in the model field', async () => {
    await t.fetch('/api/v1/models/stories/aliases/production', {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ version: 1 }),
    });
    for (const model of ['stories:1', 'stories@production']) {
      const res = await client.completions.create({
        model,
        prompt: 'Once upon a time',
        max_tokens: 2,
        temperature: 0,
      });
      expect(res.choices[0]?.text.length).toBeGreaterThan(0);
    }
    await expect(
      client.completions.create({ model: 'stories:2', prompt: 'x', max_tokens: 2 }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('exposes time to first token, tokens and sequences on /metrics', async () => {
    const text = await (await t.fetch('/metrics')).text();
    expect(text).toMatch(
      /modelport_llm_time_to_first_token_seconds_count\{[^}]*model="stories"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/modelport_llm_completion_tokens_total\{[^}]*\} [1-9]/);
    expect(text).toMatch(/modelport_llm_sequences_running\{model="stories"\} 0/);
    expect(text).toMatch(/modelport_llm_sequences_waiting\{model="stories"\} 0/);
  });

  it('lists the deployed models', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain('stories');
  });

  it.each([
    ['an unknown model', { model: 'nothing', messages: [{ role: 'user', content: 'hi' }] }, 404],
    ['a model that is not an LLM', { model: 'adder', messages: [{ role: 'user', content: 'hi' }] }, 400],
    ['empty messages', { model: 'stories', messages: [] }, 400],
    ['a wrong role', { model: 'stories', messages: [{ role: 'wizard', content: 'hi' }] }, 400],
    ['n out of range', { model: 'stories', messages: [{ role: 'user', content: 'hi' }], n: 0 }, 400],
    [
      'max_tokens out of range',
      { model: 'stories', messages: [{ role: 'user', content: 'hi' }], max_tokens: 0 },
      400,
    ],
    [
      'a prompt longer than the context',
      { model: 'stories', messages: [{ role: 'user', content: 'word '.repeat(2000) }] },
      400,
    ],
    [
      'a stop list too long',
      { model: 'stories', messages: [{ role: 'user', content: 'hi' }], stop: ['a', 'b', 'c', 'd', 'e'] },
      400,
    ],
  ])('refuses %s in the OpenAI error shape', async (_what, body, status) => {
    const res = await t.fetch('/v1/chat/completions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(status);
    const err = (await res.json()) as {
      error: { message: string; type: string; code: string | null; param: string | null };
    };
    expect(typeof err.error.message).toBe('string');
    expect(typeof err.error.type).toBe('string');
    expect(err.error).toHaveProperty('param');
  });
});
