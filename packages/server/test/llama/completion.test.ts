import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, completion, loadStories, need, type StoriesModel } from '../support/stories.js';

describe('llama completion (stories260K)', () => {
  let llm: StoriesModel | undefined;
  beforeAll(async () => {
    llm = await loadStories();
  });
  afterAll(async () => {
    await llm?.unload();
  });

  it('continues "Once upon a time" greedily, streaming start → text* → end', async (ctx) => {
    const started = performance.now();
    const { events, text, end } = await collect(
      need(llm, ctx),
      completion('Once upon a time', { maxTokens: 200 }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`stories260K, 1 thread: ${((end?.completionTokens ?? 0) / seconds).toFixed(0)} tokens/s`);
    expect(text.startsWith(', there was a little girl named Lily')).toBe(true);
    expect(events[0]).toEqual({ type: 'start', promptTokens: 5 });
    expect(events.at(-1)?.type).toBe('end');
    expect(events.slice(1, -1).every((e) => e.type === 'text')).toBe(true);
    expect(events.length).toBeGreaterThan(10);
  });

  it('ends as length after exactly maxTokens tokens', async (ctx) => {
    const { end } = await collect(need(llm, ctx), completion('Once upon a time', { maxTokens: 7 }));
    expect(end).toEqual({ type: 'end', finishReason: 'length', promptTokens: 5, completionTokens: 7 });
  });

  it('gives the same text for the same seed at temperature 0.8', async (ctx) => {
    const request = completion('Once upon a time', {
      temperature: 0.8,
      topP: 0.95,
      seed: 1234,
      maxTokens: 60,
    });
    const first = await collect(need(llm, ctx), request);
    const second = await collect(need(llm, ctx), request);
    expect(second.text).toBe(first.text);
    const other = await collect(need(llm, ctx), { ...request, seed: 99 });
    expect(other.text).not.toBe(first.text);
  });

  it('stops before a stop sequence, which stays out of the text', async (ctx) => {
    const { text, end } = await collect(
      need(llm, ctx),
      completion('Once upon a time', { stop: ['Lily'], maxTokens: 50 }),
    );
    // ' Lily' is one token; the space before the stop text is still part of the reply, as in OpenAI's API.
    expect(text).toBe(', there was a little girl named ');
    expect(end?.finishReason).toBe('stop');
    expect(end?.completionTokens).toBeLessThan(50);
  });

  it('matches a stop string that spans tokens, and one at a token start', async (ctx) => {
    const model = need(llm, ctx);
    const spanning = await collect(
      model,
      completion('Once upon a time', { stop: ['little girl'], maxTokens: 50 }),
    );
    expect(spanning.text).toBe(', there was a ');
    const leading = await collect(model, completion('Once upon a time', { stop: [' Lily'], maxTokens: 50 }));
    expect(leading.text).toBe(', there was a little girl named');
    expect(leading.end?.finishReason).toBe('stop');
  });

  it('writes JSON for a completion with json_object', async (ctx) => {
    const { text, end } = await collect(
      need(llm, ctx),
      completion('Data:', { maxTokens: 300, responseFormat: { type: 'json_object' } }),
    );
    expect(text.trimStart().startsWith('{')).toBe(true);
    if (end?.finishReason === 'stop') expect(() => JSON.parse(text)).not.toThrow();
  });

  it('applies presence and frequency penalties', async (ctx) => {
    const plain = await collect(need(llm, ctx), completion('Once upon a time', { maxTokens: 80 }));
    const penalized = await collect(
      need(llm, ctx),
      completion('Once upon a time', { maxTokens: 80, presencePenalty: 1.5, frequencyPenalty: 1.5 }),
    );
    expect(penalized.text).not.toBe(plain.text);
  });

  it('reports log-probabilities of each token with the top alternatives', async (ctx) => {
    const { events } = await collect(
      need(llm, ctx),
      completion('Once upon a time', { maxTokens: 5, topLogprobs: 3 }),
    );
    const logprobs = events.flatMap((e) => (e.type === 'text' ? (e.logprobs ?? []) : []));
    expect(logprobs).toHaveLength(5);
    const first = logprobs[0];
    expect(first?.token).toBe(',');
    expect(first?.logprob).toBeLessThan(0);
    expect(first?.logprob).toBeGreaterThan(-0.1);
    expect(first?.top.map((t) => t.token)).toEqual([',', ' there', ' in']);
    expect(logprobs.map((l) => l.token).join('')).toBe(', there was a little');
    const plain = await collect(need(llm, ctx), completion('Once upon a time', { maxTokens: 5 }));
    expect(plain.events.some((e) => e.type === 'text' && e.logprobs !== undefined)).toBe(false);
  });
});
