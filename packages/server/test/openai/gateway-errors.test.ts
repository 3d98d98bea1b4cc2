import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAiTestApp, sseEvents, startOpenAiTestApp } from '../support/openai-test-app.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('gateway failures on the OpenAI routes', () => {
  let t: OpenAiTestApp;
  beforeAll(async () => {
    t = await startOpenAiTestApp();
  });
  afterAll(() => t.close());

  it('answers an unknown model with 404 on every route', async () => {
    const calls = [
      t.client.chat.completions.create({ model: 'nope', messages }),
      t.client.completions.create({ model: 'nope', prompt: 'x' }),
      t.client.embeddings.create({ model: 'nope', input: 'x' }),
    ];
    for (const call of calls) {
      const err = await call.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.NotFoundError);
      expect(err).toMatchObject({ status: 404, code: 'model_not_found', type: 'not_found_error' });
    }
  });

  it('answers queue_full with 503 and Retry-After, streaming or not', async () => {
    for (const stream of [false, true]) {
      const res = await t.post('/v1/chat/completions', { model: 'busy', messages, stream });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await res.json()).toEqual({
        error: {
          message: 'The model is busy.',
          type: 'service_unavailable_error',
          param: null,
          code: 'queue_full',
        },
      });
    }
    const err = await t.client.chat.completions.create({ model: 'busy', messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err).toMatchObject({ status: 503, code: 'queue_full' });
  });

  it('stops the choices that started when a sibling is refused', async () => {
    const before = t.gateway.calls.length;
    const res = await t.post('/v1/chat/completions', { model: 'crowded', messages, n: 2, stream: true });
    expect(res.status).toBe(503);
    const started = t.gateway.calls.slice(before);
    expect(started).toHaveLength(2);
    expect(started.every((c) => c.signal.aborted)).toBe(true);
  });

  it('ends a stream that fails midway with an error event and no [DONE]', async () => {
    const res = await t.post('/v1/chat/completions', { model: 'flaky', messages, stream: true });
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text());
    expect(events).not.toContain('[DONE]');
    expect(JSON.parse(events.at(-2) ?? '').choices[0].delta.content).toBe('partial');
    expect(JSON.parse(events.at(-1) ?? '')).toEqual({
      error: { message: 'The runner crashed.', type: 'server_error', param: null, code: 'runner_failed' },
    });
  });

  it('makes the SDK throw on an in-stream error', async () => {
    const stream = await t.client.chat.completions.create({ model: 'flaky', messages, stream: true });
    let text = '';
    const err = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text).toBe('partial');
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as Error).message).toContain('The runner crashed.');
  });

  it('answers a failure after the start without streaming as a plain error', async () => {
    const err = await t.client.chat.completions.create({ model: 'flaky', messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err).toMatchObject({ status: 502, code: 'runner_failed' });
  });
});

describe('a client that goes away', () => {
  let t: OpenAiTestApp;
  beforeAll(async () => {
    t = await startOpenAiTestApp();
  });
  afterAll(() => t.close());

  async function abortedWithin(signal: AbortSignal, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (!signal.aborted && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    return signal.aborted;
  }

  it('aborts the generation at once when it disconnects mid-stream', async () => {
    const controller = new AbortController();
    const res = await t.post(
      '/v1/chat/completions',
      { model: 'slow', messages, stream: true },
      { signal: controller.signal },
    );
    const reader = res.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('data: ');
    const { signal } = t.gateway.lastCall();
    expect(signal.aborted).toBe(false);
    controller.abort();
    expect(await abortedWithin(signal, 500)).toBe(true);
  });

  it('aborts a non-streaming generation when the client leaves before the answer', async () => {
    const controller = new AbortController();
    const before = t.gateway.calls.length;
    const pending = t
      .post('/v1/completions', { model: 'slow', prompt: 'x', n: 2 }, { signal: controller.signal })
      .catch(() => undefined);
    while (t.gateway.calls.length < before + 2) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    controller.abort();
    await pending;
    for (const call of t.gateway.calls.slice(before))
      expect(await abortedWithin(call.signal, 500)).toBe(true);
  });
});
