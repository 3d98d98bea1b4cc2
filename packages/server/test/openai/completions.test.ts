import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_TOKENS, REPLY_PIECES } from '../support/fake-llm-gateway.js';
import { type OpenAiTestApp, sseEvents, startOpenAiTestApp } from '../support/openai-test-app.js';

describe('POST /v1/completions', () => {
  let t: OpenAiTestApp;
  beforeAll(async () => {
    t = await startOpenAiTestApp();
  });
  afterAll(() => t.close());

  it('completes a prompt as a text_completion', async () => {
    const res = await t.client.completions.create({
      model: 'tiny-llm',
      prompt: 'Say',
      max_tokens: 8,
      stop: ['\n'],
    });
    expect(res.id).toMatch(/^cmpl-/);
    expect(res.object).toBe('text_completion');
    expect(res.model).toBe('tiny-llm');
    expect(res.choices).toEqual([{ index: 0, text: 'Hello, world!', logprobs: null, finish_reason: 'stop' }]);
    expect(res.usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: REPLY_PIECES.length });
    expect(t.gateway.lastCall().request).toMatchObject({
      kind: 'completion',
      prompt: 'Say',
      maxTokens: 8,
      stop: ['\n'],
    });
  });

  it('prepends the prompt with echo', async () => {
    const res = await t.client.completions.create({ model: 'tiny-llm', prompt: 'Say: ', echo: true });
    expect(res.choices[0]?.text).toBe('Say: Hello, world!');
  });

  it('runs one generation per prompt of a list, n each, numbered prompt by prompt', async () => {
    const before = t.gateway.calls.length;
    const res = await t.client.completions.create({
      model: 'tiny-llm',
      prompt: ['A: ', 'B: '],
      n: 2,
      echo: true,
    });
    const prompts = t.gateway.calls
      .slice(before)
      .map((c) => c.request.kind === 'completion' && c.request.prompt);
    expect(prompts.sort()).toEqual(['A: ', 'A: ', 'B: ', 'B: ']);
    expect(res.choices.map((c) => [c.index, c.text])).toEqual([
      [0, 'A: Hello, world!'],
      [1, 'A: Hello, world!'],
      [2, 'B: Hello, world!'],
      [3, 'B: Hello, world!'],
    ]);
    // Each prompt is counted once, whatever n.
    expect(res.usage?.prompt_tokens).toBe(2 * PROMPT_TOKENS);
    expect(res.usage?.completion_tokens).toBe(4 * REPLY_PIECES.length);
  });

  it('reports legacy log-probabilities with text offsets', async () => {
    const res = await t.client.completions.create({ model: 'tiny-llm', prompt: 'x', logprobs: 1 });
    expect(res.choices[0]?.logprobs).toEqual({
      tokens: REPLY_PIECES,
      token_logprobs: REPLY_PIECES.map(() => -0.25),
      top_logprobs: REPLY_PIECES.map((p) => ({ [p]: -0.25 })),
      text_offset: [0, 3, 5, 10],
    });
  });

  it('streams text_completion chunks, the echoed prompt first, then [DONE]', async () => {
    const res = await t.post('/v1/completions', {
      model: 'tiny-llm',
      prompt: 'Q: ',
      echo: true,
      stream: true,
      stream_options: { include_usage: true },
    });
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.every((c) => c.object === 'text_completion' && c.id === chunks[0].id)).toBe(true);
    const text = chunks.flatMap((c) => c.choices.map((choice: { text: string }) => choice.text)).join('');
    expect(text).toBe('Q: Hello, world!');
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: PROMPT_TOKENS } });
  });

  it('streams through the SDK', async () => {
    const stream = await t.client.completions.create({ model: 'tiny-llm', prompt: 'x', stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('Hello, world!');
  });

  it.each([
    ['token prompts', { prompt: [1, 2, 3] }, 'prompt', 'token prompts are not supported'],
    ['lists of token prompts', { prompt: [[1, 2]] }, 'prompt', 'token prompts are not supported'],
    ['suffix', { prompt: 'x', suffix: 'y' }, 'suffix', 'not supported'],
    ['logprobs above 5', { prompt: 'x', logprobs: 6 }, 'logprobs', '5'],
    ['echo with logprobs', { prompt: 'x', echo: true, logprobs: 1 }, 'logprobs', 'echo'],
    ['best_of', { prompt: 'x', best_of: 3 }, 'best_of', 'not supported'],
    ['too many choices in all', { prompt: ['a', 'b', 'c'], n: 6 }, 'n', '16'],
  ])('refuses %s', async (_name, patch, param, words) => {
    const body = { model: 'tiny-llm', ...patch } as unknown as OpenAI.CompletionCreateParamsNonStreaming;
    const err = await t.client.completions.create(body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err).toMatchObject({ status: 400, param });
    expect((err as Error).message).toContain(words);
  });
});
