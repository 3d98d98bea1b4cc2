import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeHub, gitFile, lfsFile, startFakeHub } from '../../server/test/support/fake-hub.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { ConflictError, Modelport, NotFoundError, type PullJob, PullWaitTimeoutError } from '../src/index.js';
import { caught } from './support/caught.js';

/** A GGUF v3 header and nothing else: enough for the choice and the download, not for validation. */
const ggufHead = Buffer.concat([Buffer.from('GGUF'), Buffer.from([3, 0, 0, 0]), Buffer.alloc(200_000, 1)]);

describe('pulls', () => {
  let hub: FakeHub;
  let server: TestServer;
  let client: Modelport;
  beforeAll(async () => {
    hub = await startFakeHub({
      'org/tiny-gguf': { files: { 'tiny-Q8_0.gguf': lfsFile(ggufHead), 'README.md': gitFile('#') } },
    });
    server = await startTestServer({ env: { HF_ENDPOINT: hub.url } });
    client = new Modelport({ baseUrl: server.url, apiKey: server.adminKey, maxRetries: 0 });
    await client.models.create({ name: 'tiny', task: 'text-generation' });
  });
  afterAll(async () => {
    await server?.close();
    await hub?.close();
  });

  it('plans, starts, waits (reporting each read) and lists a pull', async () => {
    const plan = await client.pulls.plan('hf://org/tiny-gguf');
    expect(plan).toMatchObject({ kind: 'file', task: 'text-generation', bytesTotal: ggufHead.length });
    const started = await client.pulls.start('tiny', 'hf://org/tiny-gguf');
    expect(started.state).toBe('queued');
    const seen: PullJob[] = [];
    const ended = await client.pulls.wait(started.id, { pollMs: 10, onPoll: (p) => seen.push(p) });
    // Only a GGUF header: the pull downloads and verifies, then validation refuses it.
    expect(ended.state).toBe('failed');
    expect(ended.bytesDone).toBe(ggufHead.length);
    expect(seen.at(-1)).toEqual(ended);
    expect((await client.pulls.list({ model: 'tiny' })).map((p) => p.id)).toEqual([started.id]);
    expect(await client.pulls.list({ model: 'other' })).toEqual([]);
    const again = await caught(client.pulls.cancel(started.id));
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as ConflictError).code).toBe('pull_not_cancellable');
  });

  it('gives up waiting with PullWaitTimeoutError while the pull goes on, and cancels it', async () => {
    hub.cutNext('org/tiny-gguf', 'tiny-Q8_0.gguf', { afterBytes: 1000, how: 'hang' });
    const started = await client.pulls.start('tiny', 'hf://org/tiny-gguf');
    const err = await caught(client.pulls.wait(started.id, { pollMs: 10, timeoutMs: 50 }));
    expect(err).toBeInstanceOf(PullWaitTimeoutError);
    expect((err as PullWaitTimeoutError).pull?.id).toBe(started.id);
    expect((await client.pulls.cancel(started.id)).state).toBe('cancelled');
    expect((await client.pulls.get(started.id)).state).toBe('cancelled');
    expect(await caught(client.pulls.get('pull_missing'))).toBeInstanceOf(NotFoundError);
  });
});
