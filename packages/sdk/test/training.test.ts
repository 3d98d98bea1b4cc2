import type { TrainingEvent } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset } from '../../server/test/support/dataset-api.js';
import { irisRows, toCsv } from '../../server/test/support/dataset-files.js';
import { ConflictError, NotFoundError } from '../src/index.js';
import { type SdkHarness, startHarness } from './support/server.js';

const TEST_MS = 600_000;

describe('training.jobs against a real server', () => {
  let h: SdkHarness;
  let datasetId: string;
  beforeAll(async () => {
    h = await startHarness();
    datasetId = (await createDataset(h.server, toCsv(irisRows()), { query: { name: 'iris' } })).id;
  }, 60_000);
  afterAll(() => h?.server.close());

  it(
    'creates a job, follows its events to the end, and reads it, its list and its logs',
    async () => {
      const jobs = h.admin.training.jobs;
      const job = await jobs.create({ datasetId, target: 'species', epochs: 4, name: 'iris-sdk' });
      expect(job.state).toBe('queued');
      const events: TrainingEvent[] = [];
      for await (const event of jobs.events(job.id)) events.push(event);
      expect(events.at(-1)).toMatchObject({ type: 'end', state: 'succeeded' });
      expect(
        events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.epoch.epoch : 0)),
      ).toEqual([1, 2, 3, 4]);
      const done = await jobs.get(job.id);
      expect(done.result?.version).toBe(1);
      expect((await jobs.list({ state: 'succeeded' })).map((j) => j.id)).toContain(job.id);
      expect((await jobs.logs(job.id)).length).toBeGreaterThan(0);
      // Following again after the last event gives only the end.
      const last = events.at(-2)?.seq ?? 0;
      const tail: TrainingEvent[] = [];
      for await (const event of jobs.events(job.id, { after: last })) tail.push(event);
      expect(tail.map((e) => e.type)).toEqual(['end']);
      await expect(jobs.cancel(job.id)).rejects.toBeInstanceOf(ConflictError);
      await expect(jobs.get('trn_missing')).rejects.toBeInstanceOf(NotFoundError);
    },
    TEST_MS,
  );

  it(
    'cancels a job and waits for it to end',
    async () => {
      const jobs = h.admin.training.jobs;
      const job = await jobs.create({
        datasetId,
        target: 'species',
        epochs: 1000,
        batchSize: 1,
        name: 'iris-long',
      });
      const cancelling = await jobs.cancel(job.id);
      expect(cancelling.cancelRequested).toBe(true);
      expect((await jobs.wait(job.id)).state).toBe('cancelled');
    },
    TEST_MS,
  );
});
