import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset } from './support/dataset-api.js';
import { irisRows, toCsv } from './support/dataset-files.js';
import { createFolderArtifactStore } from './support/folder-artifact-store.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';
import { until } from './support/processes.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createJob, getJob, readEvents, waitForJob } from './support/training-api.js';

/** Training on a shared 2-core machine: minutes, not seconds. */
const TEST_MS = 900_000;

const TRAIN_MS = 300_000;
const env = { MODELPORT_TRAINING_QUEUE: 'pg-boss', MODELPORT_TRAINING_CONCURRENCY: '1' };

const db: TestDatabase | null = await createPostgresDatabase();
if (!db) console.log('skipped: PostgreSQL is not reachable on 127.0.0.1:5432');

/**
 * Two replicas on one PostgreSQL database (and one artifact store, as a bucket would be) take
 * training jobs from a pg-boss queue: each runs one at a time, so two jobs run on both.
 */
describe.skipIf(!db)('training jobs across replicas through pg-boss on PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;
  let shared: string;
  let sql: pg.Client;

  beforeAll(async () => {
    if (!db) return;
    shared = await mkdtemp(path.join(os.tmpdir(), 'modelport-training-bucket-'));
    const store = (name: string) =>
      createFolderArtifactStore({
        remoteDir: path.join(shared, 'bucket'),
        cacheDir: path.join(shared, name),
      });
    a = await startTestServer({ databaseUrl: db.url, env, artifacts: store('a') });
    b = await startTestServer({ databaseUrl: db.url, env, adminKey: a.adminKey, artifacts: store('b') });
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  }, 120_000);
  afterAll(async () => {
    await sql?.end();
    await a?.close();
    await b?.close();
    await db?.drop();
    if (shared) await rm(shared, { recursive: true, force: true });
  });

  const owner = async (id: string) =>
    (await sql.query<{ owner: string }>('select owner from training_jobs where id = $1', [id])).rows[0]
      ?.owner;

  it(
    'two jobs sent through the queue run on both replicas and succeed',
    async () => {
      const iris = await createDataset(a, toCsv(irisRows()), { query: { name: 'iris' } });
      const spec = { datasetId: iris.id, target: 'species', epochs: 150, batchSize: 8 };
      const first = await createJob(a, { ...spec, name: 'iris-a' });
      const second = await createJob(a, { ...spec, name: 'iris-b' });
      const [one, two] = await Promise.all([
        waitForJob(b, first.id, TRAIN_MS),
        waitForJob(b, second.id, TRAIN_MS),
      ]);
      expect([one.state, two.state]).toEqual(['succeeded', 'succeeded']);
      expect(await owner(first.id)).not.toBe(await owner(second.id));
      // Each job went through the queue; pg-boss marks its message completed once the run returned.
      const states = async () =>
        (
          await sql.query<{ key: string; state: string }>(
            "select singleton_key as key, state from pgboss.job where name = 'modelport-training' and singleton_key = any($1)",
            [[first.id, second.id]],
          )
        ).rows.map((r) => r.state);
      expect(await until(async () => (await states()).join() === 'completed,completed', 10_000)).toBe(true);
      // Either replica serves the version either one registered.
      expect((await a.fetch('/api/v1/models/iris-b/versions/1')).status).toBe(200);
      expect((await b.fetch('/api/v1/models/iris-a/versions/1')).status).toBe(200);
    },
    TEST_MS,
  );

  it(
    'a replica that stops hands its job back, and the other resumes it',
    async () => {
      const iris = await createDataset(a, toCsv(irisRows()), { query: { name: 'iris-again' } });
      const job = await createJob(a, {
        datasetId: iris.id,
        target: 'species',
        epochs: 400,
        batchSize: 4,
        name: 'iris-moved',
      });
      await waitForJob(a, job.id, TRAIN_MS, (j) => j.progress.epoch >= 3);
      const runner = await owner(job.id);
      // Its checkpoint reaches the store with a heartbeat.
      const stored = async () =>
        (await sql.query('select 1 from training_checkpoints where job_id = $1', [job.id])).rowCount === 1;
      expect(await until(stored, 10_000)).toBe(true);
      const [stopping, staying] = runner?.includes(a.server.platform.training.owner) ? [a, b] : [b, a];
      await stopping.server.close();
      const done = await waitForJob(staying, job.id, TRAIN_MS);
      expect(done.error, JSON.stringify(done.error)).toBeNull();
      expect(done).toMatchObject({ state: 'succeeded', attempts: 2 });
      expect(await owner(job.id)).not.toBe(runner);
      const logs = (await readEvents(staying, job.id)).flatMap((e) =>
        e.data.type === 'log' ? [e.data.message] : [],
      );
      expect(
        logs.some((m) => /resumed after epoch [1-9]/.test(m)),
        logs.join('\n'),
      ).toBe(true);
      expect((await getJob(staying, job.id)).epochs).toHaveLength(done.result?.epochsRun ?? -1);
    },
    TEST_MS,
  );
});
