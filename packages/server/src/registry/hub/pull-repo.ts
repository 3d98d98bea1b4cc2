import type { Kysely, Selectable } from 'kysely';
import type { Database, HubPullsTable } from '../../platform/db/index.js';

export type PullRow = Selectable<HubPullsTable>;

/** States of a pull that a restarted server resumes. */
export const UNFINISHED_STATES = ['queued', 'downloading', 'verifying', 'registering'] as const;
/** States a cancel may end: once registering, the version is being recorded. */
export const CANCELLABLE_STATES = ['queued', 'downloading', 'verifying'] as const;

export function createPullRepo(db: Kysely<Database>) {
  return {
    async insert(row: PullRow): Promise<void> {
      await db.insertInto('hub_pulls').values(row).execute();
    },
    get(projectId: string, id: string): Promise<PullRow | undefined> {
      return db
        .selectFrom('hub_pulls')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    byId(id: string): Promise<PullRow | undefined> {
      return db.selectFrom('hub_pulls').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** Newest first. */
    list(projectId: string, model: string | undefined, limit: number): Promise<PullRow[]> {
      let query = db.selectFrom('hub_pulls').selectAll().where('project_id', '=', projectId);
      if (model !== undefined) query = query.where('model', '=', model);
      return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    },
    unfinished(): Promise<PullRow[]> {
      return db
        .selectFrom('hub_pulls')
        .selectAll()
        .where('state', 'in', [...UNFINISHED_STATES])
        .orderBy('created_at')
        .execute();
    },
    async update(id: string, changes: Partial<Omit<PullRow, 'id'>>): Promise<void> {
      await db.updateTable('hub_pulls').set(changes).where('id', '=', id).execute();
    },
    /** Changes a pull that is still in one of `from`; false when it moved on meanwhile (a cancel won). */
    async advance(
      id: string,
      from: readonly string[],
      changes: Partial<Omit<PullRow, 'id'>>,
    ): Promise<boolean> {
      const res = await db
        .updateTable('hub_pulls')
        .set(changes)
        .where('id', '=', id)
        .where('state', 'in', [...from])
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
  };
}

export type PullRepo = ReturnType<typeof createPullRepo>;
