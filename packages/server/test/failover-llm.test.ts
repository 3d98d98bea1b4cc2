import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { deployment, metric, send, sleep } from './support/failover-client.js';
import { ledgerRowOf } from './support/ledger-rows.js';
import { sseEvents } from './support/openai-test-app.js';
import { until } from './support/processes.js';
import { sharedModelOrNull } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const gguf = sharedModelOrNull('stories260k/stories260K.gguf');
// Long enough for a 256-token context, short enough for 1024 (see test/llama/context-limits.test.ts).
const longText = 'Lily saw a big red ball in the park and she ran to get it. '.repeat(20);

describe.skipIf(!gguf)('failover chains of language models (stories260K)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const bytes = await readFile(gguf as string);
    const llm = { threads: 1, llm: { parallel: 2, contextSize: 1024 } };
    await deployModel(t, { name: 'tale-backup', task: 'text-generation', bytes }, llm);
    await deployModel(
      t,
      { name: 'tale', task: 'text-generation', bytes },
      {
        ...llm,
        llm: { parallel: 2, contextSize: 256 },
        fallbacks: ['tale-backup'],
        failover: { coolDownSeconds: 1 },
      },
    );
  }, 120_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  const chat = (content: string, stream: boolean) =>
    send(t, 'POST', '/v1/chat/completions', {
      model: 'tale',
      messages: [{ role: 'user', content }],
      max_tokens: 8,
      temperature: 0,
      stream,
    });

  it('streams from the first deployment while it answers', async () => {
    const res = await chat('Once upon a time', true);
    expect(res.status).toBe(200);
    expect([res.headers.get('x-modelport-deployment'), res.headers.get('x-modelport-fallback')]).toEqual([
      'tale',
      'false',
    ]);
    expect(sseEvents(await res.text()).at(-1)).toBe('[DONE]');
  });

  it('falls over to the backup for a stream whose first deployment is down, and ends with [DONE]', async () => {
    const [instance] = (await deployment(t, 'tale')).instances;
    if (!instance?.pid) throw new Error('tale has no runner pid');
    process.kill(instance.pid, 'SIGKILL');
    const res = await chat('Once upon a time', true);
    expect(res.status).toBe(200);
    expect([res.headers.get('x-modelport-deployment'), res.headers.get('x-modelport-fallback')]).toEqual([
      'tale-backup',
      'true',
    ]);
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    expect(events.length).toBeGreaterThan(2);
    const row = await ledgerRowOf(t, res.headers.get('x-request-id') as string);
    expect(row).toMatchObject({ deployment: 'tale-backup', model: 'tale-backup', endpoint: 'openai.chat' });
  }, 30_000);

  it('falls over when the prompt is longer than the first deployment’s context', async () => {
    expect(await until(async () => (await deployment(t, 'tale')).status === 'ready', 20_000)).toBe(true);
    await sleep(1_100);
    const res = await chat(longText, false);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelport-deployment')).toBe('tale-backup');
    const body = (await res.json()) as { usage: { prompt_tokens: number } };
    expect(body.usage.prompt_tokens).toBeGreaterThan(256);
    expect(
      await metric(t, 'modelport_failover_total', { from: 'tale', reason: 'context_length_exceeded' }),
    ).toBe(1);
    // Not held against it: a short prompt is still answered by `tale` itself.
    const short = await chat('Once upon a time', false);
    expect(short.headers.get('x-modelport-deployment')).toBe('tale');
  }, 30_000);

  it('refuses a fallback serving another task', async () => {
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
    const res = await send(t, 'PATCH', '/api/v1/deployments/adder', { fallbacks: ['tale'] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_fallbacks');
  });
});
