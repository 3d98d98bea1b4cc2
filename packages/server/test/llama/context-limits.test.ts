import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAppError } from '../support/expect-app-error.js';
import { chat, collect, completion, loadStories, need, type StoriesModel } from '../support/stories.js';

const longText = 'Lily saw a big red ball in the park and she ran to get it. '.repeat(20);

// llama.cpp pads the context to a multiple of 256 here: asked for 128, it holds 256.
describe('llama context limits and embeddings (stories260K, context 128 → 256)', () => {
  let llm: StoriesModel | undefined;
  beforeAll(async () => {
    llm = await loadStories({ contextSize: 128 });
  });
  afterAll(async () => {
    await llm?.unload();
  });

  it('reports the context it really has', (ctx) => {
    expect(need(llm, ctx).info().contextSize).toBe(256);
  });

  it('refuses a completion prompt longer than the context with 400', async (ctx) => {
    const err = await expectAppError(
      collect(need(llm, ctx), completion(longText)),
      'context_length_exceeded',
      /^prompt has \d+ tokens, the context holds 256$/,
    );
    expect({ status: err.status, param: err.param }).toEqual({ status: 400, param: 'prompt' });
  });

  it('refuses chat messages longer than the context with 400', async (ctx) => {
    const err = await expectAppError(
      collect(need(llm, ctx), chat(longText)),
      'context_length_exceeded',
      /^prompt has \d+ tokens, the context holds 256$/,
    );
    expect(err.param).toBe('messages');
  });

  it('ends as length where the context ends, without shifting it', async (ctx) => {
    const { end } = await collect(need(llm, ctx), completion('Once upon a time', { maxTokens: 1000 }));
    expect(end).toEqual({
      type: 'end',
      finishReason: 'length',
      promptTokens: 5,
      completionTokens: 256 - 5 - 1,
    });
  });

  it('embeds each input as one vector of the model’s width', async (ctx) => {
    const model = need(llm, ctx);
    const signal = new AbortController().signal;
    const one = await model.embed({ input: ['Once upon a time'] }, signal);
    const two = await model.embed({ input: ['Once upon a time', 'The cat sat'] }, signal);
    expect(two.embeddings).toHaveLength(2);
    expect(two.embeddings.map((v) => v.length)).toEqual([64, 64]);
    expect(two.embeddings[0]).toEqual(one.embeddings[0]);
    expect(two.embeddings[1]).not.toEqual(two.embeddings[0]);
    expect(two.promptTokens).toBeGreaterThan(one.promptTokens);
  });

  it('refuses an embedding input longer than the context with 400', async (ctx) => {
    const err = await expectAppError(
      need(llm, ctx).embed({ input: ['short', longText] }, new AbortController().signal),
      'context_length_exceeded',
      /^input\[1\] has \d+ tokens, the context holds 256$/,
    );
    expect(err.param).toBe('input');
  });
});
