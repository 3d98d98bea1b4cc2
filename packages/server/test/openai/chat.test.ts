import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TOKENS } from '../../src/api/openai/schemas/sampling-fields.js';
import { PROMPT_TOKENS, REPLY_PIECES } from '../support/fake-llm-gateway.js';
import { type OpenAiTestApp, startOpenAiTestApp } from '../support/openai-test-app.js';

describe('POST /v1/chat/completions (non-streaming)', () => {
  let t: OpenAiTestApp;
  beforeAll(async () => {
    t = await startOpenAiTestApp();
  });
  afterAll(() => t.close());

  it('answers in the CreateChatCompletionResponse shape', async () => {
    const res = await t.client.chat.completions.create({
      model: 'tiny-llm',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(res.id).toMatch(/^chatcmpl-[0-9A-Za-z]{24}$/);
    expect(res.object).toBe('chat.completion');
    expect(Math.abs(res.created - Date.now() / 1000)).toBeLessThan(5);
    expect(res.model).toBe('tiny-llm');
    expect(res.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
    expect(res.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello, world!', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
    expect(res.usage).toEqual({
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: REPLY_PIECES.length,
      total_tokens: PROMPT_TOKENS + REPLY_PIECES.length,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    });
  });

  it('applies OpenAI defaults and our max-token default when the body is silent', async () => {
    await t.client.chat.completions.create({ model: 'tiny-llm', messages: [{ role: 'user', content: 'x' }] });
    expect(t.gateway.lastCall().request).toEqual({
      kind: 'chat',
      messages: [{ role: 'user', content: 'x' }],
      maxTokens: DEFAULT_MAX_TOKENS,
      temperature: 1,
      topP: 1,
      stop: [],
      presencePenalty: 0,
      frequencyPenalty: 0,
    });
  });

  it('translates messages, sampling fields and response_format into our request', async () => {
    await t.client.chat.completions.create({
      model: 'tiny-llm',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Part one' },
            { type: 'text', text: 'part two' },
          ],
        },
        { role: 'user', content: 'hi', name: 'ann' },
      ],
      max_completion_tokens: 40,
      max_tokens: 10,
      temperature: 0.2,
      top_p: 0.9,
      stop: 'END',
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
      },
      user: 'u-1',
      metadata: { team: 'a' },
      store: false,
      parallel_tool_calls: true,
    });
    expect(t.gateway.lastCall().request).toEqual({
      kind: 'chat',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'system', content: 'Part one\npart two' },
        { role: 'user', content: 'hi' },
      ],
      maxTokens: 40,
      temperature: 0.2,
      topP: 0.9,
      seed: 7,
      stop: ['END'],
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' } },
    });
  });

  it('ignores fields it does not know, as OpenAI does', async () => {
    const res = await t.post('/v1/chat/completions', {
      model: 'tiny-llm',
      messages: [{ role: 'user', content: 'x' }],
      service_tier: 'auto',
      some_future_field: { a: 1 },
      temperature: null,
    });
    expect(res.status).toBe(200);
    expect(t.gateway.lastCall().request.temperature).toBe(1);
  });

  it('runs n generations concurrently and counts the prompt once', async () => {
    const before = t.gateway.calls.length;
    const res = await t.client.chat.completions.create({
      model: 'tiny-llm',
      messages: [{ role: 'user', content: 'x' }],
      n: 2,
    });
    expect(t.gateway.calls.length - before).toBe(2);
    expect(res.choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, 'Hello, world!'],
      [1, 'Hello, world!'],
    ]);
    expect(res.usage).toMatchObject({
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: 2 * REPLY_PIECES.length,
      total_tokens: PROMPT_TOKENS + 2 * REPLY_PIECES.length,
    });
  });

  it('reports token log-probabilities when asked', async () => {
    const res = await t.client.chat.completions.create({
      model: 'tiny-llm',
      messages: [{ role: 'user', content: 'x' }],
      logprobs: true,
      top_logprobs: 2,
    });
    expect(t.gateway.lastCall().request.topLogprobs).toBe(2);
    const content = res.choices[0]?.logprobs?.content ?? [];
    expect(content.map((c) => c.token)).toEqual(REPLY_PIECES);
    expect(content[0]).toEqual({
      token: 'Hel',
      logprob: -0.25,
      bytes: [72, 101, 108],
      top_logprobs: [
        { token: 'Hel', logprob: -0.25, bytes: [72, 101, 108] },
        { token: 'x', logprob: -1.25, bytes: [120] },
      ],
    });
  });

  it('sends no log-probabilities unless logprobs is true', async () => {
    await t.client.chat.completions.create({ model: 'tiny-llm', messages: [{ role: 'user', content: 'x' }] });
    expect(t.gateway.lastCall().request).not.toHaveProperty('topLogprobs');
  });
});
