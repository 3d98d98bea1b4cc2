import type { Kysely, Migration } from 'kysely';

/**
 * Rollouts move a deployment from one revision to the next in steps; their state is stored at
 * every transition so that a restarted server resumes them where they were. A revision made for a
 * rollout keeps the guardrails it was rolled out with.
 */
export const deploymentRollouts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('deployment_rollouts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id').onDelete('cascade'))
      .addColumn('from_revision', 'integer', (c) => c.notNull())
      .addColumn('to_revision', 'integer', (c) => c.notNull())
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('percent', 'real', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('last_evaluation', 'text')
      .addColumn('started_by', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('deployment_rollouts_by_deployment')
      .on('deployment_rollouts')
      .columns(['deployment_id', 'started_at'])
      .execute();
    await db.schema.alterTable('deployment_revisions').addColumn('guardrails', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('deployment_rollouts').ifExists().execute();
    await db.schema.alterTable('deployment_revisions').dropColumn('guardrails').execute();
  },
};
