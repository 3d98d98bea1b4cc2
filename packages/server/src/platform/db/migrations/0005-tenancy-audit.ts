import type { Kysely, Migration } from 'kysely';

interface KeyRow {
  id: string;
  project_id: string;
  scopes: string;
  created_at: string;
  revoked_at: string | null;
}

interface ProjectRow {
  id: string;
  created_at: string;
}

/**
 * Key rotation (the replaced secret and how long it still works), request ids in the audit log, and
 * `org_admin` for the key the first start created: before projects existed it was the only admin of
 * its organization, and it must keep managing it.
 */
export const tenancyAudit: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    for (const column of ['previous_prefix', 'previous_hash', 'previous_valid_until', 'rotated_at']) {
      await db.schema.alterTable('api_keys').addColumn(column, 'text').execute();
    }
    await db.schema
      .createIndex('api_keys_previous_prefix')
      .on('api_keys')
      .column('previous_prefix')
      .unique()
      .execute();
    await db.schema.alterTable('audit_log').addColumn('request_id', 'text').execute();
    await db.schema
      .createIndex('audit_log_project_id')
      .on('audit_log')
      .columns(['project_id', 'id'])
      .execute();
    await grantOrgAdminToFirstAdmin(db as unknown as Kysely<{ api_keys: KeyRow; projects: ProjectRow }>);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('audit_log_project_id').ifExists().execute();
    await db.schema.alterTable('audit_log').dropColumn('request_id').execute();
    await db.schema.dropIndex('api_keys_previous_prefix').ifExists().execute();
    for (const column of ['rotated_at', 'previous_valid_until', 'previous_hash', 'previous_prefix']) {
      await db.schema.alterTable('api_keys').dropColumn(column).execute();
    }
  },
};

async function grantOrgAdminToFirstAdmin(db: Kysely<{ api_keys: KeyRow; projects: ProjectRow }>) {
  const project = await db
    .selectFrom('projects')
    .select('id')
    .orderBy('created_at', 'asc')
    .limit(1)
    .executeTakeFirst();
  if (!project) return;
  const keys = await db
    .selectFrom('api_keys')
    .select(['id', 'scopes'])
    .where('project_id', '=', project.id)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'asc')
    .execute();
  const first = keys.find((k) => (JSON.parse(k.scopes) as string[]).includes('admin'));
  if (!first) return;
  const scopes = [...(JSON.parse(first.scopes) as string[]), 'org_admin'];
  await db
    .updateTable('api_keys')
    .set({ scopes: JSON.stringify(scopes) })
    .where('id', '=', first.id)
    .execute();
}
