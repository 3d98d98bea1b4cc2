import type { Kysely, Selectable, Updateable } from 'kysely';
import type {
  ArtifactsTable,
  Database,
  TrainingJobEventsTable,
  TrainingJobsTable,
} from '../../platform/db/index.js';
import { isUniqueViolation } from '../../platform/db/index.js';

export type JobRow = Selectable<TrainingJobsTable>;
export type JobEventRow = Selectable<TrainingJobEventsTable>;
export type JobChanges = Omit<Updateable<TrainingJobsTable>, 'id' | 'project_id'>;

/** States a job does not leave. */
export const finishedStates: readonly string[] = ['succeeded', 'failed', 'cancelled'];

/** Two writers (the runner and a cancel) may number an event alike; the loser numbers again. */
const EVENT_INSERT_ATTEMPTS = 5;

export function createJobRepo(db: Kysely<Database>) {
  const jobs = () => db.selectFrom('training_jobs').selectAll();
  return {
    async insert(row: JobRow): Promise<void> {
      await db.insertInto('training_jobs').values(row).execute();
    },

    find(projectId: string, id: string): Promise<JobRow | undefined> {
      return jobs().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    },

    findById(id: string): Promise<JobRow | undefined> {
      return jobs().where('id', '=', id).executeTakeFirst();
    },

    /** Newest first; `before` is the id of the last job of the previous page. */
    list(projectId: string, options: { limit: number; state?: string | undefined }): Promise<JobRow[]> {
      let q = jobs().where('project_id', '=', projectId);
      if (options.state !== undefined) q = q.where('state', '=', options.state);
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
    },

    /**
     * Takes the job for `owner` if it waits, or if its runner stopped beating before `staleBefore`
     * (a crashed or killed server); true when this caller got it. A job whose cancel was asked
     * while its server died is taken too, and ends cancelled at once.
     */
    async claim(id: string, owner: string, now: string, staleBefore: string): Promise<boolean> {
      const result = await db
        .updateTable('training_jobs')
        .set((eb) => ({
          state: 'running',
          owner,
          heartbeat_at: now,
          updated_at: now,
          attempts: eb('attempts', '+', 1),
          started_at: eb.fn.coalesce('started_at', eb.val(now)),
        }))
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb('state', '=', 'queued'),
            eb.and([
              eb('state', '=', 'running'),
              eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', staleBefore)]),
            ]),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Jobs a server may take: waiting ones, and running ones whose runner stopped beating. */
    async runnable(staleBefore: string): Promise<JobRow[]> {
      return jobs()
        .where((eb) =>
          eb.or([
            eb('state', '=', 'queued'),
            eb.and([
              eb('state', '=', 'running'),
              eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', staleBefore)]),
            ]),
          ]),
        )
        .orderBy('created_at')
        .execute();
    },

    /** Changes a job only while `owner` holds it; false when it was taken over or finished meanwhile. */
    async updateOwned(id: string, owner: string, changes: JobChanges): Promise<boolean> {
      const result = await db
        .updateTable('training_jobs')
        .set(changes)
        .where('id', '=', id)
        .where('owner', '=', owner)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /**
     * Records the cancel; a job that still waits is cancelled at once (true), a running one is
     * stopped by its runner, which sees the flag.
     */
    async requestCancel(id: string, now: string): Promise<{ cancelledWaiting: boolean }> {
      const waiting = await db
        .updateTable('training_jobs')
        .set({ cancel_requested: 1, state: 'cancelled', finished_at: now, updated_at: now, owner: null })
        .where('id', '=', id)
        .where('state', '=', 'queued')
        .executeTakeFirst();
      if (Number(waiting.numUpdatedRows) === 1) return { cancelledWaiting: true };
      await db
        .updateTable('training_jobs')
        .set({ cancel_requested: 1, updated_at: now })
        .where('id', '=', id)
        .where('state', 'not in', finishedStates)
        .execute();
      return { cancelledWaiting: false };
    },

    /** Whether a cancel was asked for the job (by any replica). */
    async cancelRequested(id: string): Promise<boolean> {
      const row = await db
        .selectFrom('training_jobs')
        .select('cancel_requested')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.cancel_requested === 1;
    },

    /** Records the blob a job keeps (once per digest, like a version's or a dataset's). */
    async insertArtifact(artifact: Selectable<ArtifactsTable>): Promise<void> {
      await db
        .insertInto('artifacts')
        .values(artifact)
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    },

    /**
     * Takes a succeeded job's kept model for one registration (its `heartbeat_at` marks the claim;
     * one older than `staleBefore` belonged to a server that died meanwhile); false when another
     * caller holds it or nothing is kept.
     */
    async claimKept(id: string, now: string, staleBefore: string): Promise<boolean> {
      const result = await db
        .updateTable('training_jobs')
        .set({ heartbeat_at: now })
        .where('id', '=', id)
        .where('state', '=', 'succeeded')
        .where('kept', 'is not', null)
        .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', staleBefore)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async releaseKept(id: string): Promise<void> {
      await db.updateTable('training_jobs').set({ heartbeat_at: null }).where('id', '=', id).execute();
    },

    /** The kept model is a version now: the result names it and the job keeps nothing more. */
    async markRegistered(id: string, result: string, now: string): Promise<void> {
      await db
        .updateTable('training_jobs')
        .set({ result, kept: null, kept_sha256: null, heartbeat_at: null, updated_at: now })
        .where('id', '=', id)
        .execute();
    },

    /** Appends an event with the next number of the job; returns its number. */
    async appendEvent(jobId: string, type: string, data: unknown, now: string): Promise<number> {
      for (let attempt = 1; ; attempt++) {
        const last = await db
          .selectFrom('training_job_events')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .where('job_id', '=', jobId)
          .executeTakeFirst();
        const seq = Number(last?.seq ?? 0) + 1;
        try {
          await db
            .insertInto('training_job_events')
            .values({ job_id: jobId, seq, type, data: JSON.stringify(data), created_at: now })
            .execute();
          return seq;
        } catch (err) {
          if (!isUniqueViolation(err) || attempt >= EVENT_INSERT_ATTEMPTS) throw err;
        }
      }
    },

    /** Keeps the job's latest checkpoint file in the store (replacing the previous one). */
    async saveCheckpoint(jobId: string, bytes: Buffer, now: string): Promise<void> {
      const row = { data: bytes.toString('base64'), size_bytes: bytes.length, updated_at: now };
      await db
        .insertInto('training_checkpoints')
        .values({ job_id: jobId, ...row })
        .onConflict((oc) => oc.column('job_id').doUpdateSet(row))
        .execute();
    },

    async loadCheckpoint(jobId: string): Promise<Buffer | undefined> {
      const row = await db
        .selectFrom('training_checkpoints')
        .select('data')
        .where('job_id', '=', jobId)
        .executeTakeFirst();
      return row ? Buffer.from(row.data, 'base64') : undefined;
    },

    async deleteCheckpoint(jobId: string): Promise<void> {
      await db.deleteFrom('training_checkpoints').where('job_id', '=', jobId).execute();
    },

    /** Events after `afterSeq`, in order, at most `limit`, of the given types if any. */
    events(
      jobId: string,
      options: { afterSeq?: number; limit: number; types?: readonly string[] },
    ): Promise<JobEventRow[]> {
      let q = db
        .selectFrom('training_job_events')
        .selectAll()
        .where('job_id', '=', jobId)
        .where('seq', '>', options.afterSeq ?? 0);
      if (options.types) q = q.where('type', 'in', [...options.types]);
      return q.orderBy('seq').limit(options.limit).execute();
    },
  };
}

export type JobRepo = ReturnType<typeof createJobRepo>;
