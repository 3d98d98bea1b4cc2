import type { AuditList, Dataset, ModelVersion } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, errorOf } from './support/dataset-api.js';
import { irisRows, toCsv } from './support/dataset-files.js';
import { createProject, projectKey } from './support/tenants.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createJob, getJob, waitForJob } from './support/training-api.js';

/** Training on a shared 2-core machine: minutes, not seconds. */
const TEST_MS = 900_000;

const json = { 'content-type': 'application/json' };

describe('registering a finished training job later', () => {
  let t: TestServer;
  let iris: Dataset;
  const irisJob = (extra: Record<string, unknown> = {}) => ({
    datasetId: iris.id,
    target: 'species',
    name: 'iris-later',
    epochs: 2,
    ...extra,
  });
  const register = (id: string, body: unknown = {}, key?: string) =>
    t.fetch(`/api/v1/training/jobs/${id}/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
      ...(key === undefined ? {} : { key }),
    });

  beforeAll(async () => {
    t = await startTestServer();
    iris = await createDataset(t, toCsv(irisRows()), { query: { name: 'iris' } });
  }, 120_000);
  afterAll(() => t?.close());

  it(
    'registers the kept model with the lineage of an automatic registration, once',
    async () => {
      const job = await createJob(t, irisJob({ register: false }));
      // Not finished yet: nothing to register.
      expect(await errorOf(await register(job.id))).toMatchObject({
        status: 409,
        code: 'training_job_not_registrable',
      });
      const ended = await waitForJob(t, job.id, 300_000);
      expect(ended.state, JSON.stringify(ended.error)).toBe('succeeded');
      expect(ended.result?.version).toBeNull();

      expect(await errorOf(await register(job.id, { model: 'iris-later', extra: 1 }))).toMatchObject({
        status: 400,
        code: 'validation_failed',
      });
      const other = await createProject(t, 'other-team');
      const { key: otherKey } = await projectKey(t, other.id, ['manage']);
      expect(await errorOf(await register(job.id, {}, otherKey))).toMatchObject({
        status: 404,
        code: 'training_job_not_found',
      });

      const res = await register(job.id);
      expect(res.status).toBe(201);
      const version = (await res.json()) as ModelVersion;
      expect(version).toMatchObject({ model: 'iris-later', version: 1, format: 'onnx' });
      const config = version.config as { lineage: { jobId: string; datasetId: string }; task: string };
      expect(config.lineage).toMatchObject({ jobId: job.id, datasetId: iris.id });
      expect(config.task).toBe('tabular');

      const after = await getJob(t, job.id);
      expect(after.result).toMatchObject({ version: 1, sha256: version.sha256 });
      const again = await errorOf(await register(job.id));
      expect(again).toMatchObject({ status: 409, code: 'training_job_already_registered' });
      expect(again.details).toEqual({ model: 'iris-later', version: 1 });

      const audit = (await (
        await t.fetch('/api/v1/audit?limit=200&action=version.upload')
      ).json()) as AuditList;
      const entry = audit.data.find((e) => e.target === 'iris-later:1');
      expect(entry?.detail).toMatchObject({ job: job.id, sha256: version.sha256 });
    },
    TEST_MS,
  );

  it(
    'keeps the blob when a model holding the same bytes is deleted',
    async () => {
      // The same seeded spec trains the same bytes: one job keeps them, another registers them.
      const spec = { name: 'iris-twin', epochs: 1, seed: 7 };
      const kept = await createJob(t, irisJob({ ...spec, register: false }));
      expect((await waitForJob(t, kept.id, 300_000)).state).toBe('succeeded');
      const twin = await waitForJob(t, (await createJob(t, irisJob(spec))).id, 300_000);
      expect(twin.result?.version).toBe(1);
      const deleted = await t.fetch('/api/v1/models/iris-twin', { method: 'DELETE' });
      expect(deleted.status).toBe(204);

      const res = await register(kept.id);
      expect(res.status, await res.clone().text()).toBe(201);
      const version = (await res.json()) as ModelVersion;
      expect(version.sha256).toBe(twin.result?.sha256);
      const artifact = await t.fetch('/api/v1/models/iris-twin/versions/1/artifact');
      expect(artifact.status).toBe(200);
      expect((await artifact.arrayBuffer()).byteLength).toBe(version.sizeBytes);
    },
    TEST_MS,
  );

  it(
    'refuses a job registered automatically, a cancelled one and an unknown one',
    async () => {
      const auto = await createJob(t, irisJob({ epochs: 1 }));
      const done = await waitForJob(t, auto.id, 300_000);
      expect(done.state).toBe('succeeded');
      expect(await errorOf(await register(auto.id))).toMatchObject({
        status: 409,
        code: 'training_job_already_registered',
      });
      // Registered later or at once, the version's config holds the same fields.
      const list = (await (await t.fetch('/api/v1/models/iris-later/versions')).json()) as {
        data: ModelVersion[];
      };
      const [later, atOnce] = list.data;
      expect(atOnce?.version).toBe(2);
      expect(Object.keys(later?.config ?? {}).sort()).toEqual(Object.keys(atOnce?.config ?? {}).sort());

      const cancelled = await createJob(t, irisJob({ register: false, epochs: 500 }));
      await t.fetch(`/api/v1/training/jobs/${cancelled.id}/cancel`, { method: 'POST' });
      expect((await waitForJob(t, cancelled.id, 60_000)).state).toBe('cancelled');
      expect(await errorOf(await register(cancelled.id))).toMatchObject({
        status: 409,
        code: 'training_job_not_registrable',
      });
      expect(await errorOf(await register('trn_nope'))).toMatchObject({
        status: 404,
        code: 'training_job_not_found',
      });
    },
    TEST_MS,
  );
});
