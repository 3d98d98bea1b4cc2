import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, Database } from '../platform/db/index.js';

export type KeyRow = Selectable<ApiKeysTable>;

export interface KeyWithTenant extends KeyRow {
  organization_id: string;
}

export function createKeyRepo(db: Kysely<Database>) {
  return {
    findByPrefix(prefix: string): Promise<KeyWithTenant | undefined> {
      return (
        db
          .selectFrom('api_keys')
          .innerJoin('projects', 'projects.id', 'api_keys.project_id')
          .selectAll('api_keys')
          .select('projects.organization_id')
          // A rotated key is found by its old prefix too, until the old secret's grace ends.
          .where((eb) =>
            eb.or([eb('api_keys.prefix', '=', prefix), eb('api_keys.previous_prefix', '=', prefix)]),
          )
          .executeTakeFirst()
      );
    },
    findById(id: string): Promise<KeyRow | undefined> {
      return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
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
    /** Replaces the secret unless another request rotated or revoked the key since `fromPrefix` was read. */
    async rotate(id: string, fromPrefix: string, changes: KeyRotation): Promise<boolean> {
      const result = await db
        .updateTable('api_keys')
        .set(changes)
        .where('id', '=', id)
        .where('prefix', '=', fromPrefix)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async setScopes(id: string, scopes: string): Promise<void> {
      await db.updateTable('api_keys').set({ scopes }).where('id', '=', id).execute();
    },
    async touch(id: string, at: string): Promise<void> {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}

export type KeyRotation = Pick<
  KeyRow,
  'prefix' | 'hash' | 'previous_prefix' | 'previous_hash' | 'previous_valid_until' | 'rotated_at'
>;

export type KeyRepo = ReturnType<typeof createKeyRepo>;
