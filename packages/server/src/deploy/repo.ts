import type { Kysely, Selectable } from 'kysely';
import type { Database, DeploymentsTable } from '../platform/db/index.js';

export type DeploymentRow = Selectable<DeploymentsTable>;

type FoundDeployment = DeploymentRow & { model_name: string };

/**
 * `cacheFinds`: for a store only this process writes (SQLite), rows looked up by name (once per
 * inference request) are kept until this repo writes any deployment. A shared store (PostgreSQL,
 * many replicas) is read every time.
 */
export function createDeploymentRepo(db: Kysely<Database>, { cacheFinds = false } = {}) {
  const withModel = () =>
    db
      .selectFrom('deployments')
      .innerJoin('models', 'models.id', 'deployments.model_id')
      .selectAll('deployments')
      .select('models.name as model_name');
  const found = new Map<string, FoundDeployment>();
  // A find that read before a write and resolves after it must not cache what it read.
  let generation = 0;
  const changed = () => {
    generation++;
    found.clear();
  };
  return {
    async find(projectId: string, name: string): Promise<FoundDeployment | undefined> {
      const key = `${projectId}/${name}`;
      const cached = found.get(key);
      if (cached) return cached;
      const readAt = generation;
      const row = await withModel()
        .where('deployments.project_id', '=', projectId)
        .where('deployments.name', '=', name)
        .executeTakeFirst();
      if (row && cacheFinds && readAt === generation) found.set(key, row);
      return row;
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
      changed();
      await db.insertInto('deployments').values(row).execute();
      changed();
    },
    async update(
      id: string,
      changes: Partial<Pick<DeploymentRow, 'version' | 'spec' | 'updated_at'>>,
    ): Promise<void> {
      changed();
      await db.updateTable('deployments').set(changes).where('id', '=', id).execute();
      changed();
    },
    async delete(id: string): Promise<void> {
      changed();
      await db.deleteFrom('deployments').where('id', '=', id).execute();
      changed();
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
