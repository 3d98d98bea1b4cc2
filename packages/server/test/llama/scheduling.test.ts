import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GenerationEvent } from '../../src/wire/generation.js';
import { expectAppError } from '../support/expect-app-error.js';
import { collect, completion, loadStories, need, type StoriesModel } from '../support/stories.js';

const prompts = ['Once upon a time', 'The cat', 'Lily and Ben went', 'One day, a big dog'];

describe('llama sequences: parallel slots and their queue (stories260K)', () => {
  let llm: StoriesModel | undefined;
  beforeAll(async () => {
    llm = await loadStories({ parallel: 4, maxQueueSize: 2, queueTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    await llm?.unload();
  });

  it('runs four requests at once, each as it would run alone', async (ctx) => {
    const model = need(llm, ctx);
    const alone: string[] = [];
    for (const prompt of prompts)
      alone.push((await collect(model, completion(prompt, { maxTokens: 60 }))).text);
    const together = await Promise.all(prompts.map((p) => collect(model, completion(p, { maxTokens: 60 }))));
    expect(together.map((r) => r.text)).toEqual(alone);
    expect(together.every((r) => r.end?.completionTokens === 60)).toBe(true);
  });

  it('answers 503 queue_full beyond the free sequences and the queue', async (ctx) => {
    const model = need(llm, ctx);
    const long = completion('Once upon a time', { maxTokens: 300 });
    const running = Array.from({ length: 6 }, () => collect(model, long));
    const err = await expectAppError(
      collect(model, long),
      'queue_full',
      /4 slots are busy and 2 requests are waiting/,
    );
    expect({ status: err.status, retryAfterS: err.retryAfterS }).toEqual({ status: 503, retryAfterS: 1 });
    const done = await Promise.all(running);
    expect(done.every((r) => r.end?.finishReason === 'length')).toBe(true);
  });

  it('stops at once on abort, ends with the tokens produced and frees the sequence', async (ctx) => {
    const model = need(llm, ctx);
    const abort = new AbortController();
    const events: GenerationEvent[] = [];
    for await (const event of model.generate(
      completion('Once upon a time', { maxTokens: 1500 }),
      abort.signal,
    )) {
      events.push(event);
      if (events.filter((e) => e.type === 'text').length === 5) abort.abort();
    }
    const texts = events.filter((e) => e.type === 'text').length;
    const end = events.at(-1);
    expect(end?.type).toBe('end');
    if (end?.type !== 'end') return;
    expect(texts).toBeLessThanOrEqual(8);
    expect(end.completionTokens).toBeGreaterThanOrEqual(5);
    expect(end.completionTokens).toBeLessThanOrEqual(8);
    // All four sequences are free again: four more requests start at once.
    const next = await Promise.all(prompts.map((p) => collect(model, completion(p, { maxTokens: 5 }))));
    expect(next.every((r) => r.end?.completionTokens === 5)).toBe(true);
  });

  it('frees the sequence when the consumer stops iterating', async (ctx) => {
    const model = need(llm, ctx);
    for (let i = 0; i < 6; i++) {
      for await (const event of model.generate(
        completion('Once upon a time', { maxTokens: 1500 }),
        new AbortController().signal,
      ))
        if (event.type === 'text') break;
    }
    const next = await Promise.all(prompts.map((p) => collect(model, completion(p, { maxTokens: 5 }))));
    expect(next.every((r) => r.end?.finishReason === 'length')).toBe(true);
  });

  it('frees the sequence of an aborted generation even when nobody reads on', async (ctx) => {
    const model = need(llm, ctx);
    for (let i = 0; i < 4; i++) {
      const abort = new AbortController();
      const events = model.generate(completion('Once upon a time', { maxTokens: 1500 }), abort.signal);
      await events[Symbol.asyncIterator]().next();
      abort.abort();
    }
    // Freed as each generation winds down; a leaked sequence would keep this failing with queue_full.
    const next = await vi.waitFor(
      () => Promise.all(prompts.map((p) => collect(model, completion(p, { maxTokens: 5 })))),
      { timeout: 5_000, interval: 20 },
    );
    expect(next.every((r) => r.end?.completionTokens === 5)).toBe(true);
  });

  it('drops a queued request whose signal aborts, without taking a sequence', async (ctx) => {
    const model = need(llm, ctx);
    const long = completion('Once upon a time', { maxTokens: 300 });
    const running = Array.from({ length: 4 }, () => collect(model, long));
    const abort = new AbortController();
    const queued = collect(model, long, abort.signal);
    abort.abort();
    await expect(queued).rejects.toThrow(/abort/i);
    await Promise.all(running);
    const after = await collect(model, completion('The cat', { maxTokens: 3 }));
    expect(after.end?.completionTokens).toBe(3);
  });
});

describe('llama queue deadline', () => {
  let llm: StoriesModel | undefined;
  beforeAll(async () => {
    llm = await loadStories({ parallel: 1, maxQueueSize: 4, queueTimeoutMs: 50 });
  });
  afterAll(async () => {
    await llm?.unload();
  });

  it('answers 504 deadline_exceeded when no sequence frees up in time', async (ctx) => {
    const model = need(llm, ctx);
    const abort = new AbortController();
    const first = model
      .generate(completion('Once upon a time', { maxTokens: 1500 }), abort.signal)
      [Symbol.asyncIterator]();
    await first.next();
    await expectAppError(collect(model, completion('The cat')), 'deadline_exceeded', /50 ms/);
    abort.abort();
    while (!(await first.next()).done) {}
  });
});
