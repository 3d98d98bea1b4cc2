import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  Modelport,
  type ModelportOptions,
  RateLimitError,
} from '../src/index.js';
import { caught } from './support/caught.js';

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One reply per attempt, in order, then 200 with an empty model list. */
type Script = Array<Reply | 'drop' | 'hang'>;

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((resolve) => s.close(resolve));
    }),
  );
});

/** A loopback server playing `script`; `attempts()` counts the requests that reached it. */
async function scripted(script: Script) {
  let attempts = 0;
  const server = http.createServer((req, res) => {
    const step = script[attempts] ?? { status: 200, body: { data: [] } };
    attempts += 1;
    // Read the whole request body first, so an upload sees the answer rather than a reset.
    req.resume();
    req.on('end', () => {
      if (step === 'hang') return;
      if (step === 'drop') return void req.socket.destroy();
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(JSON.stringify(step.body ?? { error: { code: 'x', message: `HTTP ${step.status}` } }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    client: (options: Partial<ModelportOptions> = {}) => new Modelport({ baseUrl, apiKey: 'k', ...options }),
    attempts: () => attempts,
  };
}

/** A plain (non-catalog) error body, so only status and headers decide. */
const plain = (status: number, headers: Record<string, string> = {}): Reply => ({
  status,
  headers,
  body: { error: 'plain' },
});

async function elapsedMs(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

describe('retries', () => {
  it('retries 503 with retry-after: 0 until it succeeds, twice by default', async () => {
    const s = await scripted([plain(503, { 'retry-after': '0' }), plain(503, { 'retry-after': '0' })]);
    expect(await s.client().models.list()).toEqual([]);
    expect(s.attempts()).toBe(3);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const busy = plain(503, { 'retry-after': '0' });
    const s = await scripted([busy, busy, busy, busy, busy]);
    const err = await caught(s.client({ maxRetries: 3 }).models.list());
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err).toMatchObject({ status: 503 });
    expect(s.attempts()).toBe(4);
  });

  it('maxRetries: 0 fails at once', async () => {
    const s = await scripted([plain(503, { 'retry-after': '0' })]);
    const err = await caught(s.client({ maxRetries: 0 }).models.list());
    expect(err).toBeInstanceOf(InternalServerError);
    expect(s.attempts()).toBe(1);
  });

  it('waits the seconds of retry-after on a 429', async () => {
    const s = await scripted([plain(429, { 'retry-after': '1' })]);
    const client = s.client();
    expect(await elapsedMs(() => client.models.list())).toBeGreaterThanOrEqual(990);
    expect(s.attempts()).toBe(2);
  });

  it('waits until a retry-after HTTP date, and prefers retry-after-ms', async () => {
    const date = new Date(Date.now() + 2000).toUTCString(); // whole seconds: more than 1 s away
    const s = await scripted([
      plain(429, { 'retry-after': date }),
      plain(503, { 'retry-after-ms': '300', 'retry-after': '30' }),
    ]);
    const client = s.client();
    expect(await elapsedMs(() => client.models.list())).toBeGreaterThanOrEqual(1250);
    expect(s.attempts()).toBe(3);
  });

  it('backs off from 0.5 s (less up to 25% jitter) without retry-after', async () => {
    const s = await scripted([plain(500)]);
    const client = s.client();
    expect(await elapsedMs(() => client.models.list())).toBeGreaterThanOrEqual(370);
    expect(s.attempts()).toBe(2);
  });

  it('never retries x-should-retry: false (a spent budget), and follows x-should-retry: true', async () => {
    const spent = await scripted([plain(429, { 'x-should-retry': 'false' })]);
    expect(await caught(spent.client().models.list())).toBeInstanceOf(RateLimitError);
    expect(spent.attempts()).toBe(1);

    const told = await scripted([plain(400, { 'x-should-retry': 'true', 'retry-after': '0' })]);
    expect(await told.client().models.list()).toEqual([]);
    expect(told.attempts()).toBe(2);
  });

  it('does not retry other 4xx, nor a catalog code that waiting does not fix', async () => {
    const bad = await scripted([plain(400)]);
    expect(await caught(bad.client().models.list())).toBeInstanceOf(BadRequestError);
    expect(bad.attempts()).toBe(1);

    const exists = { error: { code: 'model_already_exists', message: 'exists', requestId: 'r' } };
    const dup = await scripted([{ status: 409, headers: { 'retry-after': '0' }, body: exists }]);
    const err = await caught(dup.client().models.create({ name: 'm' }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ code: 'model_already_exists' });
    expect(dup.attempts()).toBe(1);

    const lock = await scripted([plain(409, { 'retry-after': '0' })]);
    await lock.client().models.list();
    expect(lock.attempts()).toBe(2);
  });

  it('retries a dropped connection and an attempt that timed out', async () => {
    const dropped = await scripted(['drop']);
    expect(await dropped.client().models.list()).toEqual([]);
    expect(dropped.attempts()).toBe(2);
    const once = await scripted(['drop']);
    expect(await caught(once.client({ maxRetries: 0 }).models.list())).toBeInstanceOf(ConnectionError);
    expect(once.attempts()).toBe(1);

    // Each attempt gets its own idle timeout; the first one firing must not doom the second.
    const hung = await scripted(['hang']);
    expect(await hung.client({ timeoutMs: 200 }).models.list()).toEqual([]);
    expect(hung.attempts()).toBe(2);
  });

  it('sends a streamed upload once, whatever the answer', async () => {
    const s = await scripted([plain(503, { 'retry-after': '0' })]);
    const err = await caught(s.client().versions.upload('m', new Uint8Array([1, 2, 3])));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(s.attempts()).toBe(1);
  });

  it('refuses a maxRetries that is not a whole number from 0 up', () => {
    for (const maxRetries of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new Modelport({ baseUrl: 'http://127.0.0.1:1', maxRetries })).toThrow(RangeError);
    }
  });
});
