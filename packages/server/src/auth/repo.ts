import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../platform/db/index.js';
import type { ApiKeysTable } from '../platform/db/tables.js';

export type KeyRow = Selectable<ApiKeysTable>;

export interface KeyWithTenant extends KeyRow {
  organization_id: string;
}

export function createKeyRepo(db: Kysely<Database>) {
  return {
    findByPrefix(prefix: string): Promise<KeyWithTenant | undefined> {
      return db
        .selectFrom('api_keys')
        .innerJoin('projects', 'projects.id', 'api_keys.project_id')
        .selectAll('api_keys')
        .select('projects.organization_id')
        .where('api_keys.prefix', '=', prefix)
        .executeTakeFirst();
    },
    findByHash(hash: string): Promise<KeyRow | undefined> {
      return db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
    },
    async insert(row: KeyRow): Promise<void> {
      await db.insertInto('api_keys').values(row).execute();
    },
    list(projectId: string): Promise<KeyRow[]> {
      return db
        .selectFrom('api_keys')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('created_at', 'asc')
        .execute();
    },
    get(projectId: string, id: string): Promise<KeyRow | undefined> {
      return db
        .selectFrom('api_keys')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    async revoke(projectId: string, id: string, at: string): Promise<void> {
      await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async touch(id: string, at: string): Promise<void> {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}

export type KeyRepo = ReturnType<typeof createKeyRepo>;
