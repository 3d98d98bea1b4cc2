import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_TOKENS, REPLY_PIECES } from '../support/fake-llm-gateway.js';
import { type OpenAiTestApp, startOpenAiTestApp } from '../support/openai-test-app.js';

describe('modelport_llm_* metrics', () => {
  let t: OpenAiTestApp;
  beforeAll(async () => {
    t = await startOpenAiTestApp();
  });
  afterAll(() => t.close());

  const value = async (name: string, labels: Record<string, string>) => {
    const metric = await t.registry.getSingleMetric(name)?.get();
    const match = metric?.values.find((v) =>
      Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l),
    );
    return match?.value;
  };

  it('counts tokens in and out and times first and later tokens', async () => {
    const messages = [{ role: 'user' as const, content: 'x' }];
    await t.client.chat.completions.create({ model: 'tiny-llm', messages, n: 2 });
    const stream = await t.client.chat.completions.create({ model: 'tiny-llm', messages, stream: true });
    for await (const _ of stream);
    await t.client.embeddings.create({ model: 'embedder', input: 'x', encoding_format: 'float' });

    const chat = { model: 'tiny-llm', endpoint: 'chat' };
    expect(await value('modelport_llm_prompt_tokens_total', chat)).toBe(2 * PROMPT_TOKENS);
    expect(await value('modelport_llm_completion_tokens_total', chat)).toBe(3 * REPLY_PIECES.length);
    expect(await value('modelport_llm_request_completion_tokens', { ...chat, le: '+Inf' })).toBe(2);
    // One first token per choice (3), and the gaps between the others.
    expect(await value('modelport_llm_time_to_first_token_seconds', { ...chat, le: '+Inf' })).toBe(3);
    expect(await value('modelport_llm_inter_token_latency_seconds', { ...chat, le: '+Inf' })).toBe(
      3 * (REPLY_PIECES.length - 1),
    );
    expect(
      await value('modelport_llm_prompt_tokens_total', { model: 'embedder', endpoint: 'embeddings' }),
    ).toBe(2);
  });
});
