import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunnerServer } from '../../src/runtime/runner/runner-server.js';
import type { ServedModel } from '../../src/runtime/runner/served-model.js';
import type { GenerationEvent, GenerationRequest } from '../../src/wire/generation.js';
import { completion, loadStories, need, type StoriesModel } from '../support/stories.js';

interface ServerSideRun {
  events: GenerationEvent[];
  signal: AbortSignal;
  /** Settles once the generation has given its sequence back. */
  done: Promise<void>;
}

/** The model as the server sees it, keeping each generation's events. */
function observed(served: ServedModel, runs: ServerSideRun[]): ServedModel {
  return {
    ...served,
    generate(request, options) {
      const events: GenerationEvent[] = [];
      let finish = () => {};
      runs.push({ events, signal: options.signal, done: new Promise((resolve) => (finish = resolve)) });
      return (async function* () {
        try {
          for await (const event of served.generate(request, options)) {
            events.push(event);
            yield event;
          }
        } finally {
          finish();
        }
      })();
    },
  };
}

describe('llama runner server over a Unix socket (stories260K, one sequence)', () => {
  let llm: StoriesModel | undefined;
  let server: FastifyInstance | undefined;
  let client: Pool;
  let dir: string;
  const runs: ServerSideRun[] = [];

  beforeAll(async () => {
    llm = await loadStories({ parallel: 1, maxQueueSize: 1, queueTimeoutMs: 20_000, contextSize: 2048 });
    if (!llm) return;
    dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-llm-runner-'));
    const socketPath = path.join(dir, 'llm.sock');
    const spec = {
      modelName: 'stories',
      modelVersion: '1',
      timeoutMs: 20_000,
      maxBodyBytes: 16 * 1024 * 1024,
    };
    server = await buildRunnerServer(spec, observed(llm.served, runs));
    await server.listen({ path: socketPath });
    client = new Pool('http://localhost', { socketPath, connections: 4 });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await llm?.unload();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function generate(request: GenerationRequest | Record<string, unknown>, signal?: AbortSignal) {
    return client.request({
      method: 'POST',
      path: '/v1/generate',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      ...(signal ? { signal } : {}),
    });
  }

  it('answers health and info', async (ctx) => {
    const model = need(llm, ctx);
    const ready = await client.request({ method: 'GET', path: '/v2/health/ready' });
    expect(ready.statusCode).toBe(200);
    await ready.body.dump();
    const info = await client.request({ method: 'GET', path: '/v1/info' });
    expect(await info.body.json()).toEqual(model.info());
  });

  it('streams NDJSON events as they are produced', async (ctx) => {
    need(llm, ctx);
    const res = await generate(completion('Once upon a time', { maxTokens: 1000 }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const arrivals: number[] = [];
    let body = '';
    for await (const chunk of res.body) {
      arrivals.push(performance.now());
      body += String(chunk);
    }
    const events = body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as GenerationEvent);
    expect(events[0]).toEqual({ type: 'start', promptTokens: 5 });
    expect(events.at(-1)).toEqual({
      type: 'end',
      finishReason: 'length',
      promptTokens: 5,
      completionTokens: 1000,
    });
    expect(arrivals.length).toBeGreaterThan(20);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThan(50);
  });

  it('answers refusals before the first event as HTTP errors', async (ctx) => {
    need(llm, ctx);
    const bad = await generate({ kind: 'completion', prompt: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(await bad.body.json()).toMatchObject({
      code: 'validation_failed',
      error: expect.stringMatching(/maxTokens/),
    });
    const long = await generate(completion('Lily ran. '.repeat(1000)));
    expect(long.statusCode).toBe(400);
    expect(await long.body.json()).toEqual({
      code: 'context_length_exceeded',
      error: expect.stringMatching(/^prompt has \d+ tokens, the context holds 2048$/),
      param: 'prompt',
    });
  });

  it('answers 503 queue_full with retry-after when the sequence and the queue are taken', async (ctx) => {
    need(llm, ctx);
    const first = await generate(completion('Once upon a time', { maxTokens: 2000 }));
    const queued = generate(completion('The cat', { maxTokens: 3 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await generate(completion('The dog', { maxTokens: 3 }));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(await refused.body.json()).toMatchObject({ code: 'queue_full' });
    first.body.destroy();
    const served = await queued;
    expect(served.statusCode).toBe(200);
    expect(await served.body.text()).toMatch(/"completionTokens":3}\n$/);
  });

  it('aborts generation when the client closes mid-stream and frees the sequence', async (ctx) => {
    need(llm, ctx);
    const before = runs.length;
    const res = await generate(completion('Once upon a time', { maxTokens: 2000 }));
    let lines = 0;
    for await (const chunk of res.body) {
      lines += String(chunk).split('\n').length - 1;
      if (lines >= 3) break;
    }
    res.body.destroy();
    const closed = performance.now();
    const run = runs[before];
    await run?.done;
    expect(run?.signal.aborted).toBe(true);
    // The rest of the 2,000 tokens would take about a second.
    expect(performance.now() - closed).toBeLessThan(300);
    expect(run?.events.filter((e) => e.type === 'text').length).toBeLessThan(200);
    // One sequence: the next request can only run if the aborted one gave it back.
    const next = await generate(completion('The cat', { maxTokens: 3 }));
    expect(next.statusCode).toBe(200);
    expect(await next.body.text()).toMatch(
      /"finishReason":"length","promptTokens":\d+,"completionTokens":3}\n$/,
    );
  });

  it('embeds over the socket', async (ctx) => {
    need(llm, ctx);
    const res = await client.request({
      method: 'POST',
      path: '/v1/embed',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: ['a cat', 'a dog'] }),
    });
    expect(res.statusCode).toBe(200);
    const body = (await res.body.json()) as { embeddings: number[][]; promptTokens: number };
    expect(body.embeddings.map((v) => v.length)).toEqual([64, 64]);
  });
});
