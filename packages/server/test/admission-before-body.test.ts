import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployModel } from './support/deploy-model.js';
import { slowModelBytes } from './support/misbehaving-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const body = JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] });

/**
 * Sends the headers of an infer request announcing `announced` bytes, and only the first KiB of
 * them: the answer can only come before the body was read.
 */
function headersOnly(
  t: TestServer,
  name: string,
  announced: number,
): Promise<{ status: number; code: string; retryAfter?: string }> {
  const url = new URL(`/v2/models/${name}/infer`, t.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { ...json, 'content-length': String(announced), authorization: `Bearer ${t.adminKey}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString()) as { error?: string; code?: string };
          resolve({
            status: res.statusCode ?? 0,
            code: String(parsed.code ?? parsed.error ?? ''),
            ...(res.headers['retry-after'] ? { retryAfter: String(res.headers['retry-after']) } : {}),
          });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    req.write(Buffer.alloc(1024, 0x20));
    setTimeout(() => reject(new Error('no answer before the body was sent')), 10_000).unref();
  });
}

describe('admission before the body (OIP infer)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await deployModel(
      t,
      { name: 'slow', bytes: slowModelBytes(200) },
      { threads: 1, maxQueueSize: 1, timeoutMs: 60_000 },
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses an unknown deployment without reading the body', async () => {
    const answer = await headersOnly(t, 'no-such-model', 50 * 1024 * 1024);
    expect(answer.status).toBe(404);
  });

  it('refuses a request past every queue with 503 and Retry-After, without reading its body', async () => {
    const infer = () => t.fetch('/v2/models/slow/infer', { method: 'POST', headers: json, body });
    // One running and one queued fill the only instance (queue 1 + a batch of 1).
    const busy = [infer(), infer()];
    const pool = () =>
      t.server.platform.engine.pools(
        t.server.platform.engine.activePools().find((p) => p.plan.name === 'slow')?.plan.deploymentId ?? '',
      )[0];
    const deadline = Date.now() + 10_000;
    while ((pool()?.outstanding ?? 0) < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(pool()?.outstanding).toBe(2);
    const refused = await headersOnly(t, 'slow', 50 * 1024 * 1024);
    expect(refused).toMatchObject({ status: 503, retryAfter: '1' });
    const answers = await Promise.all(busy);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    // Room again: a request goes through.
    expect((await infer()).status).toBe(200);
  }, 60_000);
});
