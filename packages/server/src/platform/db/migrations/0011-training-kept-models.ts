import type { Kysely, Migration } from 'kysely';

/**
 * What a job that succeeded without registering keeps, so its model can be registered later: the
 * exported ONNX file in the artifact store (`kept_sha256`, which keeps the blob from being released)
 * and, as JSON, the serving config, scores, parity and lineage its registration needs.
 */
export const trainingKeptModels: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('training_jobs').addColumn('kept_sha256', 'text').execute();
    await db.schema.alterTable('training_jobs').addColumn('kept', 'text').execute();
    await db.schema
      .createIndex('training_jobs_by_kept_sha256')
      .on('training_jobs')
      .column('kept_sha256')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('training_jobs_by_kept_sha256').ifExists().execute();
    await db.schema.alterTable('training_jobs').dropColumn('kept').execute();
    await db.schema.alterTable('training_jobs').dropColumn('kept_sha256').execute();
  },
};
