import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../platform/db/index.js';
import type { DeploymentsTable } from '../platform/db/tables.js';

export type DeploymentRow = Selectable<DeploymentsTable>;

export function createDeploymentRepo(db: Kysely<Database>) {
  const withModel = () =>
    db
      .selectFrom('deployments')
      .innerJoin('models', 'models.id', 'deployments.model_id')
      .selectAll('deployments')
      .select('models.name as model_name');
  return {
    find(projectId: string, name: string) {
      return withModel()
        .where('deployments.project_id', '=', projectId)
        .where('deployments.name', '=', name)
        .executeTakeFirst();
    },
    list(projectId: string) {
      return withModel()
        .where('deployments.project_id', '=', projectId)
        .orderBy('deployments.name')
        .execute();
    },
    all() {
      return withModel().execute();
    },
    async insert(row: DeploymentRow): Promise<void> {
      await db.insertInto('deployments').values(row).execute();
    },
    async update(
      id: string,
      changes: Partial<Pick<DeploymentRow, 'version' | 'spec' | 'updated_at'>>,
    ): Promise<void> {
      await db.updateTable('deployments').set(changes).where('id', '=', id).execute();
    },
    async delete(id: string): Promise<void> {
      await db.deleteFrom('deployments').where('id', '=', id).execute();
    },
    async countForModel(modelId: string): Promise<number> {
      const row = await db
        .selectFrom('deployments')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('model_id', '=', modelId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}

export type DeploymentRepo = ReturnType<typeof createDeploymentRepo>;
export type DeploymentWithModel = DeploymentRow & { model_name: string };
