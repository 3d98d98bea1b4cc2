import type { Kysely, Selectable } from 'kysely';
import type { Database, PricesTable } from '../../platform/db/index.js';

export type PriceRow = Selectable<PricesTable>;

export function createPriceRepo(db: Kysely<Database>) {
  return {
    get(projectId: string, model: string): Promise<PriceRow | undefined> {
      return db
        .selectFrom('prices')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('model', '=', model)
        .executeTakeFirst();
    },
    list(projectId: string): Promise<PriceRow[]> {
      return db
        .selectFrom('prices')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('model')
        .execute();
    },
    async put(row: PriceRow): Promise<void> {
      const { project_id: _p, model: _m, ...changes } = row;
      await db
        .insertInto('prices')
        .values(row)
        .onConflict((oc) => oc.columns(['project_id', 'model']).doUpdateSet(changes))
        .execute();
    },
    async delete(projectId: string, model: string): Promise<boolean> {
      const res = await db
        .deleteFrom('prices')
        .where('project_id', '=', projectId)
        .where('model', '=', model)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}

export type PriceRepo = ReturnType<typeof createPriceRepo>;
