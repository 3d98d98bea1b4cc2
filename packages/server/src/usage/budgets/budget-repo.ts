import type { Kysely, Selectable } from 'kysely';
import type { BudgetsTable, Database } from '../../platform/db/index.js';

export type BudgetRow = Selectable<BudgetsTable>;

export function createBudgetRepo(db: Kysely<Database>) {
  return {
    /** The budgets that apply to a request of this key: its own and its project's. */
    forKey(projectId: string, keyId: string): Promise<BudgetRow[]> {
      return db
        .selectFrom('budgets')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('scope', '=', 'key'), eb('target', '=', keyId)]),
            eb.and([eb('scope', '=', 'project'), eb('target', '=', projectId)]),
          ]),
        )
        .execute();
    },
    list(projectId: string): Promise<BudgetRow[]> {
      return db.selectFrom('budgets').selectAll().where('project_id', '=', projectId).orderBy('id').execute();
    },
    get(projectId: string, id: string): Promise<BudgetRow | undefined> {
      return db
        .selectFrom('budgets')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    /** Sets limit and period; spending so far is kept (a new budget starts at 0). */
    async upsert(row: BudgetRow): Promise<void> {
      await db
        .insertInto('budgets')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['scope', 'target']).doUpdateSet({
            limit_nanos: row.limit_nanos,
            period: row.period,
            updated_at: row.updated_at,
          }),
        )
        .execute();
    },
    find(scope: BudgetRow['scope'], target: string): Promise<BudgetRow | undefined> {
      return db
        .selectFrom('budgets')
        .selectAll()
        .where('scope', '=', scope)
        .where('target', '=', target)
        .executeTakeFirst();
    },
    async delete(projectId: string, id: string): Promise<boolean> {
      const res = await db
        .deleteFrom('budgets')
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    async keyInProject(projectId: string, keyId: string): Promise<boolean> {
      const row = await db
        .selectFrom('api_keys')
        .select('id')
        .where('project_id', '=', projectId)
        .where('id', '=', keyId)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type BudgetRepo = ReturnType<typeof createBudgetRepo>;
