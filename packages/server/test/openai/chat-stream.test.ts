import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_TOKENS, REPLY_PIECES } from '../support/fake-llm-gateway.js';
import { type OpenAiTestApp, sseEvents, startOpenAiTestApp } from '../support/openai-test-app.js';

interface RawChunk {
  id: string;
  object: string;
  created: number;
  model: string;
  system_fingerprint: string;
  choices: { index: number; delta: { role?: string; content?: string }; finish_reason: string | null }[];
  usage?: unknown;
}

const messages = [{ role: 'user' as const, content: 'Say hello' }];

describe('POST /v1/chat/completions with stream: true', () => {
  let t: OpenAiTestApp;
  beforeAll(async () => {
    t = await startOpenAiTestApp();
  });
  afterAll(() => t.close());

  it('streams chunks the SDK assembles into the reply', async () => {
    const stream = await t.client.chat.completions.create({ model: 'tiny-llm', messages, stream: true });
    let text = '';
    const finishes: (string | null)[] = [];
    let role: string | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      const choice = chunk.choices[0];
      role ??= choice?.delta.role;
      text += choice?.delta.content ?? '';
      finishes.push(choice?.finish_reason ?? null);
      expect(chunk).not.toHaveProperty('usage');
    }
    expect(role).toBe('assistant');
    expect(text).toBe('Hello, world!');
    expect(finishes.at(-1)).toBe('stop');
    expect(finishes.slice(0, -1).every((f) => f === null)).toBe(true);
  });

  it('adds the usage chunk with include_usage', async () => {
    const stream = await t.client.chat.completions.create({
      model: 'tiny-llm',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: REPLY_PIECES.length,
      total_tokens: PROMPT_TOKENS + REPLY_PIECES.length,
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('frames raw SSE exactly: data lines, one id and created, usage null, then [DONE]', async () => {
    const res = await t.post('/v1/chat/completions', {
      model: 'tiny-llm',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as RawChunk);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(new Set(chunks.map((c) => c.created)).size).toBe(1);
    expect(chunks[0]?.id).toMatch(/^chatcmpl-/);
    expect(chunks.every((c) => c.model === 'tiny-llm' && c.system_fingerprint.startsWith('fp_'))).toBe(true);
    expect(chunks[0]?.choices[0]).toEqual({
      index: 0,
      delta: { role: 'assistant', content: '' },
      logprobs: null,
      finish_reason: null,
    });
    const finish = chunks.at(-2);
    expect(finish?.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    expect(finish?.usage).toBeNull();
    expect(chunks.slice(0, -1).every((c) => 'usage' in c && c.usage === null)).toBe(true);
    expect(chunks.at(-1)?.choices).toEqual([]);
  });

  it('interleaves n choices, each with its own index, role and finish', async () => {
    const stream = await t.client.chat.completions.create({
      model: 'tiny-llm',
      messages,
      stream: true,
      n: 2,
    });
    const texts = ['', ''];
    const finishes: string[] = [];
    const writingBeforeFirstFinish = new Set<number>();
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.delta.content ?? '';
        if (choice.delta.content && finishes.length === 0) writingBeforeFirstFinish.add(choice.index);
        if (choice.finish_reason) finishes.push(`${choice.index}:${choice.finish_reason}`);
      }
    }
    expect(texts).toEqual(['Hello, world!', 'Hello, world!']);
    expect(finishes.sort()).toEqual(['0:stop', '1:stop']);
    // Concurrent, not one after the other: both were writing before either ended.
    expect([...writingBeforeFirstFinish].sort()).toEqual([0, 1]);
  });

  it('streams log-probabilities with the content they belong to', async () => {
    const stream = await t.client.chat.completions.create({
      model: 'tiny-llm',
      messages,
      stream: true,
      logprobs: true,
      top_logprobs: 1,
    });
    const tokens: string[] = [];
    for await (const chunk of stream)
      for (const lp of chunk.choices[0]?.logprobs?.content ?? []) tokens.push(lp.token);
    expect(tokens).toEqual(REPLY_PIECES);
  });
});
