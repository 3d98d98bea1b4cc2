import type { Kysely, Migration } from 'kysely';

/** The usage ledger, prices per model and budgets per key or project. */
export const usage: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('usage_events')
      .addColumn('request_id', 'text', (c) => c.primaryKey())
      .addColumn('client_request_id', 'text')
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('tokens_in', 'integer', (c) => c.notNull())
      .addColumn('tokens_out', 'integer', (c) => c.notNull())
      .addColumn('queue_ms', 'double precision', (c) => c.notNull())
      .addColumn('compute_ms', 'double precision', (c) => c.notNull())
      .addColumn('cost_nanos', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('usage_events_project_finished')
      .on('usage_events')
      .columns(['project_id', 'finished_at'])
      .execute();
    await db.schema
      .createTable('prices')
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('input_per_1k_nanos', 'bigint', (c) => c.notNull())
      .addColumn('output_per_1k_nanos', 'bigint', (c) => c.notNull())
      .addColumn('per_request_nanos', 'bigint', (c) => c.notNull())
      .addColumn('per_compute_second_nanos', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('prices_pk', ['project_id', 'model'])
      .execute();
    await db.schema
      .createTable('budgets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('limit_nanos', 'bigint', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('period_start', 'text', (c) => c.notNull())
      .addColumn('spent_nanos', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('budgets_scope_target', ['scope', 'target'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['budgets', 'prices', 'usage_events']) await db.schema.dropTable(t).ifExists().execute();
  },
};
