import type { Kysely, Migration } from 'kysely';

interface DeploymentRow {
  id: string;
  version: number;
  spec: string;
  created_at: string;
}

interface RevisionRow {
  id: string;
  deployment_id: string;
  revision: number;
  variants: string;
  salt: string;
  created_at: string;
}

/**
 * Deployments point at immutable revisions (their variants and weights). Every deployment made
 * before variants becomes revision 1 with one variant `default` taking all of its traffic; its id
 * is the sticky-session salt of its lineage.
 */
export const deploymentRevisions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('deployment_revisions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id').onDelete('cascade'))
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('variants', 'text', (c) => c.notNull())
      .addColumn('salt', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('deployment_revisions_number', ['deployment_id', 'revision'])
      .execute();
    await db.schema
      .alterTable('deployments')
      .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    const typed = db as unknown as Kysely<{ deployments: DeploymentRow; deployment_revisions: RevisionRow }>;
    const rows = await typed
      .selectFrom('deployments')
      .select(['id', 'version', 'spec', 'created_at'])
      .execute();
    for (const row of rows) {
      const { instances = 1 } = JSON.parse(row.spec) as { instances?: number };
      const variant = { name: 'default', version: row.version, instances, weight: 100, role: 'production' };
      await typed
        .insertInto('deployment_revisions')
        .values({
          id: `${row.id}.1`,
          deployment_id: row.id,
          revision: 1,
          variants: JSON.stringify([variant]),
          salt: row.id,
          created_at: row.created_at,
        })
        .execute();
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('deployment_revisions').ifExists().execute();
    await db.schema.alterTable('deployments').dropColumn('revision').execute();
  },
};
