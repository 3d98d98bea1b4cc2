import type { Kysely, Migration } from 'kysely';

/**
 * Pulls from the Hugging Face Hub are stored from the moment they are accepted, so that a restarted
 * server resumes the unfinished ones where their partial files stopped.
 */
export const hubPulls: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('hub_pulls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('repo', 'text', (c) => c.notNull())
      .addColumn('revision', 'text', (c) => c.notNull())
      .addColumn('commit_sha', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('files', 'text', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('bytes_done', 'bigint', (c) => c.notNull())
      .addColumn('bytes_total', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('hub_pulls_by_project')
      .on('hub_pulls')
      .columns(['project_id', 'created_at'])
      .execute();
    await db.schema.createIndex('hub_pulls_by_state').on('hub_pulls').column('state').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('hub_pulls').ifExists().execute();
  },
};
