import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ModelVersion } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeHub, lfsFile, startFakeHub } from './support/fake-hub.js';
import { createPostgresDatabase } from './support/postgres.js';
import { createModel, isState, readPull, startPull, waitForPull } from './support/pulls.js';
import { sharedModelFile } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const stories = sharedModelFile('stories260k/stories260K.gguf');
const FILE = 'stories260K-Q4_K_M.gguf';
const CUT_AT = 400_000;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pgDb = stories.skip ? null : await createPostgresDatabase();
if (!stories.skip && !pgDb)
  console.log('skipped: hub pull resume on PostgreSQL (no PostgreSQL on 127.0.0.1:5432)');
const stores = [
  { store: 'sqlite', databaseUrl: undefined, skip: false },
  { store: 'postgres', databaseUrl: pgDb?.url, skip: pgDb === null },
];

describe.skipIf(stories.skip)('a pull cut in the middle resumes with a range for the rest', () => {
  let hub: FakeHub;
  let bytes: Buffer;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    bytes = readFileSync(stories.file);
    hub = await startFakeHub({
      'test-org/stories-sqlite': { files: { [FILE]: lfsFile(bytes) } },
      'test-org/stories-postgres': { files: { [FILE]: lfsFile(bytes) } },
      'test-org/flaky-gguf': { files: { [FILE]: lfsFile(bytes) } },
    });
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await hub?.close();
    await pgDb?.drop();
  });

  it.each(stores)(
    'keeps the partial file across an API server restart and downloads only what is missing ($store)',
    async ({ store, databaseUrl, skip }) => {
      if (skip) return;
      const repo = `test-org/stories-${store}`;
      const db = databaseUrl ? { databaseUrl } : {};
      const first = await startTestServer({ env: { HF_ENDPOINT: hub.url }, ...db });
      hub.cutNext(repo, FILE, { afterBytes: CUT_AT, how: 'hang' });
      await createModel(first, 'stories', 'text-generation');
      const accepted = await startPull(first, 'stories', `hf://${repo}`);
      const midway = await waitForPull(
        first,
        accepted.id,
        (job) => job.bytesDone >= CUT_AT || job.state === 'failed',
      );
      expect(midway).toMatchObject({ state: 'downloading', bytesDone: CUT_AT });
      // Closed while the Hub still holds the download open: the pull stays stored as it was.
      await first.server.close();
      const part = path.join(first.dataDir, 'pulls', accepted.id, 'files', `${FILE}.part`);
      expect(statSync(part).size).toBe(CUT_AT);

      const second = await startTestServer({
        env: { HF_ENDPOINT: hub.url },
        ...db,
        dataDir: first.dataDir,
        adminKey: first.adminKey,
      });
      servers.push(second);
      const job = await waitForPull(second, accepted.id);
      expect(job).toMatchObject({ state: 'succeeded', version: 1, bytesDone: bytes.length });
      const version = (await (
        await second.fetch('/api/v1/models/stories/versions/1')
      ).json()) as ModelVersion;
      expect(version.sha256).toBe(sha256(bytes));
      expect(hub.sent(repo, FILE)).toEqual([
        { range: undefined, bytes: CUT_AT },
        { range: `bytes=${CUT_AT}-`, bytes: bytes.length - CUT_AT },
      ]);
      expect(existsSync(path.join(second.dataDir, 'pulls', accepted.id))).toBe(false);
    },
    60_000,
  );

  it('resumes within the same run when the Hub drops the connection', async () => {
    const t = await startTestServer({ env: { HF_ENDPOINT: hub.url } });
    servers.push(t);
    hub.cutNext('test-org/flaky-gguf', FILE, { afterBytes: CUT_AT, how: 'drop' });
    await createModel(t, 'flaky', 'text-generation');
    const accepted = await startPull(t, 'flaky', 'hf://test-org/flaky-gguf');
    const job = await waitForPull(t, accepted.id);
    expect(job.state).toBe('succeeded');
    const version = (await (await t.fetch('/api/v1/models/flaky/versions/1')).json()) as ModelVersion;
    expect(version.sha256).toBe(sha256(bytes));
    const sent = hub.sent('test-org/flaky-gguf', FILE);
    expect(sent[0]).toEqual({ range: undefined, bytes: CUT_AT });
    // What reached the server before the cut (up to CUT_AT), then a range for exactly the rest.
    expect(sent).toHaveLength(2);
    const start = Number(/^bytes=(\d+)-$/.exec(sent[1]?.range ?? '')?.[1]);
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThanOrEqual(CUT_AT);
    expect(sent[1]?.bytes).toBe(bytes.length - start);
    expect(isState('succeeded')(await readPull(t, accepted.id))).toBe(true);
  }, 60_000);
});
