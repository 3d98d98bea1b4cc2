import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { ModelVersion, PullJob } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeHub, gitFile, lfsFile, startFakeHub } from './support/fake-hub.js';
import {
  createModel,
  isState,
  postPull,
  readPull,
  startPull,
  versionCount,
  waitForPull,
} from './support/pulls.js';
import { sharedModelFile } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const stories = sharedModelFile('stories260k/stories260K.gguf');
const GATE_TOKEN = 'hf_gate_opener';

interface ErrorBody {
  error: { code: string; message: string };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function pullFolders(t: TestServer): string[] {
  const dir = path.join(t.dataDir, 'pulls');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe.skipIf(stories.skip)('pulls that must fail, leaving nothing behind', () => {
  let hub: FakeHub;
  let t: TestServer;
  beforeAll(async () => {
    const bytes = readFileSync(stories.file);
    const gguf = { 'stories260K-Q4_K_M.gguf': lfsFile(bytes), 'README.md': gitFile('# tiny\n') };
    hub = await startFakeHub({
      'test-org/stories-gguf': { files: gguf },
      'test-org/corrupt-gguf': { files: gguf },
      'test-org/gated-gguf': { files: gguf, gatedToken: GATE_TOKEN },
      'test-org/names-only': { files: gguf, namesOnly: true },
      'test-org/names-only-corrupt': { files: gguf, namesOnly: true },
      'test-org/no-weights': { files: { 'config.json': gitFile('{}'), 'model.safetensors': lfsFile(bytes) } },
    });
    hub.corrupt('test-org/corrupt-gguf', 'stories260K-Q4_K_M.gguf');
    hub.corrupt('test-org/names-only-corrupt', 'stories260K-Q4_K_M.gguf');
    t = await startTestServer({ env: { HF_ENDPOINT: hub.url } });
    await createModel(t, 'target', 'text-generation');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await hub?.close();
  });

  it('refuses a corrupt byte on sha256: the pull fails, nothing is registered, no file is left', async () => {
    const accepted = await startPull(t, 'target', 'hf://test-org/corrupt-gguf');
    const job = await waitForPull(t, accepted.id);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('hub_checksum_mismatch');
    expect(job.error?.message).toContain('stories260K-Q4_K_M.gguf');
    expect(await versionCount(t, 'target')).toBe(0);
    expect(pullFolders(t)).toEqual([]);
  });

  it('checks against X-Linked-Etag when the model info lists names only', async () => {
    await createModel(t, 'names-only', 'text-generation');
    const good = await startPull(t, 'names-only', 'hf://test-org/names-only');
    expect(good.bytesTotal).toBe(readFileSync(stories.file).length);
    expect((await waitForPull(t, good.id)).state).toBe('succeeded');
    const version = (await (await t.fetch('/api/v1/models/names-only/versions/1')).json()) as ModelVersion;
    expect(version.metadata.source?.files[0]?.sha256).toBe(version.sha256);
    const bad = await waitForPull(
      t,
      (await startPull(t, 'names-only', 'hf://test-org/names-only-corrupt')).id,
    );
    expect(bad.state).toBe('failed');
    expect(bad.error?.code).toBe('hub_checksum_mismatch');
    expect(await versionCount(t, 'names-only')).toBe(1);
  });

  it('answers 404 for a missing repository, revision or file, without accepting a pull', async () => {
    for (const source of [
      'hf://test-org/nothing-here',
      'hf://test-org/stories-gguf@no-such-branch',
      'hf://test-org/stories-gguf/missing.gguf',
    ]) {
      const res = await postPull(t, 'target', { source });
      expect(res.status, source).toBe(404);
      expect(((await res.json()) as ErrorBody).error.code, source).toBe('hub_not_found');
    }
    const list = (await (await t.fetch('/api/v1/pulls?model=target')).json()) as { data: PullJob[] };
    expect(list.data.map((p) => p.source)).toEqual(['hf://test-org/corrupt-gguf']);
    expect(await versionCount(t, 'target')).toBe(0);
  });

  it('answers 403 telling to set HF_TOKEN for a gated repository, and pulls it with the token', async () => {
    const res = await postPull(t, 'target', { source: 'hf://test-org/gated-gguf' });
    expect(res.status).toBe(403);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('hub_access_denied');
    expect(body.error.message).toContain('HF_TOKEN');
    expect(await versionCount(t, 'target')).toBe(0);

    const withToken = await startTestServer({ env: { HF_ENDPOINT: hub.url, HF_TOKEN: GATE_TOKEN } });
    try {
      await createModel(withToken, 'gated', 'text-generation');
      const accepted = await startPull(withToken, 'gated', 'hf://test-org/gated-gguf');
      expect((await waitForPull(withToken, accepted.id)).state).toBe('succeeded');
      expect(await versionCount(withToken, 'gated')).toBe(1);
    } finally {
      await withToken.close();
    }
    const resolves = hub.requests.filter((r) => r.path.startsWith('/test-org/gated-gguf/resolve/'));
    expect(resolves.some((r) => r.authorized)).toBe(true);
  });

  it('answers 502 hub_unreachable when the endpoint does not answer', async () => {
    const offline = await startTestServer({ env: { HF_ENDPOINT: `http://127.0.0.1:${await closedPort()}` } });
    try {
      await createModel(offline, 'target', 'text-generation');
      const res = await postPull(offline, 'target', { source: 'hf://test-org/stories-gguf' });
      expect(res.status).toBe(502);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('hub_unreachable');
      expect(body.error.message).toContain('ECONNREFUSED');
      expect(await versionCount(offline, 'target')).toBe(0);
    } finally {
      await offline.close();
    }
  });

  it('refuses a bad source, unknown fields, and a repository with nothing servable', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ source: 'https://huggingface.co/org/repo' }, 400, 'invalid_hub_source'],
      [{ source: 'hf://org/repo/../secret' }, 400, 'invalid_hub_source'],
      [{ source: 'hf://test-org/stories-gguf', force: true }, 400, 'validation_failed'],
      [{ source: 'hf://test-org/no-weights' }, 422, 'hub_unsupported_repo'],
    ];
    for (const [body, status, code] of cases) {
      const res = await postPull(t, 'target', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(((await res.json()) as ErrorBody).error.code).toBe(code);
    }
    const noModel = await postPull(t, 'missing-model', { source: 'hf://test-org/stories-gguf' });
    expect(noModel.status).toBe(404);
    expect(((await noModel.json()) as ErrorBody).error.code).toBe('model_not_found');
  });

  it('cancels a pull mid-download: its partial file goes, a second cancel is refused', async () => {
    hub.cutNext('test-org/stories-gguf', 'stories260K-Q4_K_M.gguf', { afterBytes: 300_000, how: 'hang' });
    const accepted = await startPull(t, 'target', 'hf://test-org/stories-gguf');
    const running = await waitForPull(
      t,
      accepted.id,
      (job) => job.bytesDone >= 300_000 || job.state === 'failed',
    );
    expect(running.state).toBe('downloading');
    expect(pullFolders(t)).toEqual([accepted.id]);
    const cancel = await t.fetch(`/api/v1/pulls/${accepted.id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    expect(((await cancel.json()) as PullJob).state).toBe('cancelled');
    expect(pullFolders(t)).toEqual([]);
    expect((await readPull(t, accepted.id)).state).toBe('cancelled');
    const again = await t.fetch(`/api/v1/pulls/${accepted.id}`, { method: 'DELETE' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.code).toBe('pull_not_cancellable');
    expect(await versionCount(t, 'target')).toBe(0);
    expect(isState('cancelled')(await readPull(t, accepted.id))).toBe(true);
  });

  it('documents the pull routes and the 202 in the OpenAPI document', async () => {
    const doc = (await (await t.fetch('/docs/json')).json()) as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/pulls',
        '/api/v1/pulls/{id}',
        '/api/v1/pulls/{id}/cancel',
        '/api/v1/pulls/plan',
      ]),
    );
    expect(doc.paths['/api/v1/models/{name}/versions']?.post?.responses?.['202']).toBeDefined();
  });

  it('hides the pulls of models a key may not use', async () => {
    const list = (await (await t.fetch('/api/v1/pulls')).json()) as { data: PullJob[] };
    const [first] = list.data;
    expect(first).toBeDefined();
    const other = await t.mintKey({ name: 'limited', scopes: ['manage'], models: ['other'] });
    const res = await t.fetch(`/api/v1/pulls/${first?.id}`, { key: other });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.code).toBe('pull_not_found');
  });
});
