import type { Kysely, Migration } from 'kysely';

/**
 * Training jobs and what happened to them. The row is the source of truth for a job's state: a
 * queue only says "look at this job", and whoever claims the row (state, owner, heartbeat) runs it,
 * so a restarted server or another replica picks up a job whose runner stopped beating. Events are
 * numbered per job so a live stream can replay them and continue after the last one it sent.
 */
export const trainingJobs: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('training_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('created_by', 'text')
      .addColumn('model_name', 'text', (c) => c.notNull())
      .addColumn('dataset_id', 'text', (c) => c.notNull())
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('progress', 'text', (c) => c.notNull())
      .addColumn('result', 'text')
      .addColumn('error', 'text')
      .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('owner', 'text')
      .addColumn('heartbeat_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('training_jobs_by_project')
      .on('training_jobs')
      .columns(['project_id', 'created_at'])
      .execute();
    await db.schema.createIndex('training_jobs_by_state').on('training_jobs').column('state').execute();
    await db.schema
      .createTable('training_job_events')
      .addColumn('job_id', 'text', (c) => c.notNull().references('training_jobs.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('training_job_events_pk', ['job_id', 'seq'])
      .execute();
    // The last checkpoint of a running job (base64, text on both stores), so a replica that takes
    // the job over resumes it even though the checkpoint was written on another machine.
    await db.schema
      .createTable('training_checkpoints')
      .addColumn('job_id', 'text', (c) => c.primaryKey().references('training_jobs.id').onDelete('cascade'))
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('training_checkpoints').ifExists().execute();
    await db.schema.dropTable('training_job_events').ifExists().execute();
    await db.schema.dropTable('training_jobs').ifExists().execute();
  },
};
