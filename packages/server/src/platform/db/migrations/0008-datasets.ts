import type { Kysely, Migration } from 'kysely';

/**
 * Datasets: uploaded tables and image folders, stored content-addressed beside model artifacts (one
 * `artifacts` row per digest, whoever points at it), with the schema inferred at upload.
 */
export const datasets: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('datasets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull().references('artifacts.sha256'))
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('schema', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('datasets_by_project')
      .on('datasets')
      .columns(['project_id', 'created_at'])
      .execute();
    await db.schema.createIndex('datasets_sha256').on('datasets').column('sha256').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('datasets').ifExists().execute();
  },
};
