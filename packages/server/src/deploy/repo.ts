import type { Kysely, Selectable } from 'kysely';
import type { Database, DeploymentRevisionsTable, DeploymentsTable } from '../platform/db/index.js';

export type DeploymentRow = Selectable<DeploymentsTable>;
export type RevisionRow = Selectable<DeploymentRevisionsTable>;

/** A deployment with its model's name and its current revision's variants (JSON) and salt. */
type FoundDeployment = DeploymentRow & { model_name: string; variants: string; salt: string };

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
      .innerJoin('deployment_revisions as r', (join) =>
        join.onRef('r.deployment_id', '=', 'deployments.id').onRef('r.revision', '=', 'deployments.revision'),
      )
      .selectAll('deployments')
      .select(['models.name as model_name', 'r.variants', 'r.salt']);
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
    /** One deployment by id, read from the store (what another replica may have changed). */
    byId(id: string): Promise<FoundDeployment | undefined> {
      return withModel().where('deployments.id', '=', id).executeTakeFirst();
    },
    /** A new deployment and its first revision, together. */
    async insert(row: DeploymentRow, revision: RevisionRow): Promise<void> {
      changed();
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('deployments').values(row).execute();
        await tx.insertInto('deployment_revisions').values(revision).execute();
      });
      changed();
    },
    /** Points the deployment at a new revision (and its summary columns), together. */
    async update(
      id: string,
      changes: Pick<DeploymentRow, 'version' | 'spec' | 'revision' | 'updated_at'>,
      revision: RevisionRow,
    ): Promise<void> {
      changed();
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('deployment_revisions').values(revision).execute();
        await tx.updateTable('deployments').set(changes).where('id', '=', id).execute();
      });
      changed();
    },
    /** Settings that change no revision (failover chains). */
    async updateSettings(id: string, changes: Pick<DeploymentRow, 'spec' | 'updated_at'>): Promise<void> {
      changed();
      await db.updateTable('deployments').set(changes).where('id', '=', id).execute();
      changed();
    },
    /** A revision a rollout moves to: stored now, pointed at once promoted. */
    async addRevision(revision: RevisionRow): Promise<void> {
      await db.insertInto('deployment_revisions').values(revision).execute();
    },
    /** Points the deployment at a revision already stored (a promoted rollout's). */
    async pointAt(
      id: string,
      changes: Pick<DeploymentRow, 'version' | 'spec' | 'revision' | 'updated_at'>,
    ): Promise<void> {
      changed();
      await db.updateTable('deployments').set(changes).where('id', '=', id).execute();
      changed();
    },
    /** The number the next revision takes: revisions of rolled-back rollouts count too. */
    async nextRevisionNumber(deploymentId: string): Promise<number> {
      const row = await db
        .selectFrom('deployment_revisions')
        .select((eb) => eb.fn.max('revision').as('n'))
        .where('deployment_id', '=', deploymentId)
        .executeTakeFirst();
      return Number(row?.n ?? 0) + 1;
    },
    revision(deploymentId: string, revision: number): Promise<RevisionRow | undefined> {
      return db
        .selectFrom('deployment_revisions')
        .selectAll()
        .where('deployment_id', '=', deploymentId)
        .where('revision', '=', revision)
        .executeTakeFirst();
    },
    revisions(deploymentId: string): Promise<RevisionRow[]> {
      return db
        .selectFrom('deployment_revisions')
        .selectAll()
        .where('deployment_id', '=', deploymentId)
        .orderBy('revision')
        .execute();
    },
    async delete(id: string): Promise<void> {
      changed();
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('deployment_rollouts').where('deployment_id', '=', id).execute();
        await tx.deleteFrom('deployment_revisions').where('deployment_id', '=', id).execute();
        await tx.deleteFrom('deployments').where('id', '=', id).execute();
      });
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
export type DeploymentWithModel = FoundDeployment;
