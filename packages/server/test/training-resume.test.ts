import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Dataset, TrainingJob } from '@modelport/contracts';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generateKey } from '../src/auth/index.js';
import { createDataset } from './support/dataset-api.js';
import { irisRows, mnistTar, toCsv } from './support/dataset-files.js';
import { until } from './support/processes.js';
import { type ServerProcess, serveProcess } from './support/server-process.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { type Api, apiAt, createJob, getJob, readEvents, waitForJob } from './support/training-api.js';

/** Training on a shared 2-core machine: minutes, not seconds. */
const TEST_MS = 900_000;

const TRAIN_MS = 600_000;
/** One job at a time, so a second one waits in the queue. */
const env = { MODELPORT_TRAINING_CONCURRENCY: '1' };

/** LeNet on 300 digits: a second or two per epoch, long enough to stop in the middle. */
const lenetJob = (datasetId: string, name: string, epochs: number) => ({
  datasetId,
  model: { preset: 'lenet' },
  optimizer: { type: 'sgd', learningRate: 0.01, momentum: 0.9 },
  epochs,
  batchSize: 32,
  name,
});

async function upload(api: Api, bytes: Uint8Array | string, name: string): Promise<Dataset> {
  const res = await api.fetch(`/api/v1/datasets?name=${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
  });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return (await res.json()) as Dataset;
}

/** The first epoch trained after the restart, and the epoch the trainer said it resumed after. */
async function resumePoint(api: Api, id: string): Promise<{ resumedAfter: number; nextEpoch: number }> {
  const events = await readEvents(api, id);
  const at = events.findIndex((e) => e.data.type === 'log' && /resumed after epoch/.test(e.data.message));
  const log = events[at]?.data;
  const resumedAfter = log?.type === 'log' ? Number(/resumed after epoch (\d+)/.exec(log.message)?.[1]) : -1;
  const next = events.slice(at).find((e) => e.data.type === 'epoch')?.data;
  return { resumedAfter, nextEpoch: next?.type === 'epoch' ? next.epoch.epoch : -1 };
}

function expectAllEpochs(job: TrainingJob, epochs: number): void {
  expect(job.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
}

describe('training jobs across server restarts, and cancel', () => {
  const dirs: string[] = [];
  let running: TestServer | undefined;
  let spawned: ServerProcess | undefined;
  afterEach(async () => {
    spawned?.child.kill('SIGKILL');
    spawned = undefined;
    await running?.close();
    running = undefined;
  });
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it(
    'a closed server hands its jobs back; the next one resumes at the next epoch and starts the queued job',
    async () => {
      const first = await startTestServer({ env });
      const { dataDir, adminKey } = first;
      const digits = await createDataset(first, await mnistTar({ perClass: () => 30 }), {
        query: { name: 'digits' },
      });
      const iris = await createDataset(first, toCsv(irisRows()), { query: { name: 'iris' } });
      const long = await createJob(first, lenetJob(digits.id, 'digits-resumed', 8));
      const waiting = await createJob(first, {
        datasetId: iris.id,
        target: 'species',
        epochs: 5,
        name: 'iris-after',
      });
      await waitForJob(first, long.id, TRAIN_MS, (j) => j.progress.epoch >= 2);
      expect((await getJob(first, waiting.id)).state).toBe('queued');
      await first.server.close(); // keeps the data folder

      running = await startTestServer({ env, dataDir, adminKey });
      const resumed = await waitForJob(running, long.id, TRAIN_MS);
      expect(resumed.error, JSON.stringify(resumed.error)).toBeNull();
      expect(resumed).toMatchObject({ state: 'succeeded', attempts: 2 });
      expectAllEpochs(resumed, 8);
      const { resumedAfter, nextEpoch } = await resumePoint(running, long.id);
      expect(resumedAfter).toBeGreaterThanOrEqual(2);
      expect(nextEpoch).toBe(resumedAfter + 1);
      const states = (await readEvents(running, long.id)).flatMap((e) =>
        e.data.type === 'state' ? [e.data.state] : [],
      );
      expect(states).toEqual(['queued', 'running', 'queued', 'running', 'succeeded']);
      const after = await waitForJob(running, waiting.id, TRAIN_MS);
      expect(after).toMatchObject({ state: 'succeeded', attempts: 1 });
      expect(existsSync(path.join(dataDir, 'training', long.id))).toBe(false);
    },
    TEST_MS,
  );

  it(
    'after a SIGKILL of the server, a new one on the same data resumes the job from its checkpoint',
    async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'modelport-training-kill-'));
      dirs.push(dataDir);
      const adminKey = generateKey();
      spawned = await serveProcess(dataDir, adminKey, env);
      const api = apiAt(spawned.base, adminKey);
      const digits = await upload(api, await mnistTar({ perClass: () => 30 }), 'digits');
      const job = await createJob(api, lenetJob(digits.id, 'digits-killed', 8));
      await waitForJob(api, job.id, TRAIN_MS, (j) => j.progress.epoch >= 2);
      spawned.child.kill('SIGKILL');
      await spawned.exited;
      spawned = undefined;

      running = await startTestServer({ env, dataDir, adminKey });
      const resumed = await waitForJob(running, job.id, TRAIN_MS);
      expect(resumed.error, JSON.stringify(resumed.error)).toBeNull();
      expect(resumed).toMatchObject({ state: 'succeeded', attempts: 2 });
      expectAllEpochs(resumed, 8);
      const { resumedAfter, nextEpoch } = await resumePoint(running, job.id);
      expect(resumedAfter).toBeGreaterThanOrEqual(1);
      expect(nextEpoch).toBe(resumedAfter + 1);
      const predict = await running.fetch('/api/v1/models/digits-killed/versions/1');
      expect(predict.status).toBe(200);
    },
    TEST_MS,
  );

  it(
    'a job whose cancel was recorded while its server died ends cancelled when a server takes it',
    async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'modelport-training-kill-'));
      dirs.push(dataDir);
      const adminKey = generateKey();
      spawned = await serveProcess(dataDir, adminKey, env);
      const api = apiAt(spawned.base, adminKey);
      const digits = await upload(api, await mnistTar({ perClass: () => 30 }), 'digits');
      const job = await createJob(api, lenetJob(digits.id, 'digits-doomed', 50));
      await waitForJob(api, job.id, TRAIN_MS, (j) => j.progress.epoch >= 1);
      spawned.child.kill('SIGKILL');
      await spawned.exited;
      spawned = undefined;
      // What a cancel on another replica leaves: the flag, the job still `running`.
      const db = new Database(path.join(dataDir, 'modelport.db'));
      db.prepare('update training_jobs set cancel_requested = 1 where id = ?').run(job.id);
      db.close();

      running = await startTestServer({ env, dataDir, adminKey });
      const ended = await waitForJob(running, job.id, 60_000);
      expect(ended).toMatchObject({ state: 'cancelled', result: null });
      // The files go right after the final state is written.
      expect(await until(() => !existsSync(path.join(dataDir, 'training', job.id)), 10_000)).toBe(true);
    },
    TEST_MS,
  );

  it(
    'cancel stops a running job: its worker ends, no event follows, its files are gone',
    async () => {
      running = await startTestServer({ env });
      const digits = await createDataset(running, await mnistTar({ perClass: () => 30 }), {
        query: { name: 'digits' },
      });
      const job = await createJob(running, lenetJob(digits.id, 'digits-cancelled', 200));
      await waitForJob(running, job.id, TRAIN_MS, (j) => j.progress.epoch >= 1);
      expect(existsSync(path.join(running.dataDir, 'training', job.id))).toBe(true);
      const res = await running.fetch(`/api/v1/training/jobs/${job.id}/cancel`, { method: 'POST' });
      expect(res.status).toBe(200);
      const cancelled = await waitForJob(running, job.id, 30_000);
      expect(cancelled).toMatchObject({ state: 'cancelled', cancelRequested: true, result: null });
      expect(cancelled.progress.epoch).toBeLessThan(200);
      const events = await readEvents(running, job.id);
      expect(events.at(-2)?.data).toMatchObject({ type: 'state', state: 'cancelled' });
      // A worker still running would post more epochs; none come.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await readEvents(running, job.id)).toHaveLength(events.length);
      expect(existsSync(path.join(running.dataDir, 'training', job.id))).toBe(false);
      expect((await running.fetch('/api/v1/models/digits-cancelled')).status).toBe(404);
    },
    TEST_MS,
  );
});
