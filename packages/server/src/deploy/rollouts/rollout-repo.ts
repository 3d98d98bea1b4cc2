import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, DeploymentRolloutsTable } from '../../platform/db/index.js';

export type RolloutRow = Selectable<DeploymentRolloutsTable>;
export type RolloutChanges = Omit<Updateable<DeploymentRolloutsTable>, 'id' | 'deployment_id'>;

/** States a rollout does not leave. */
export const terminalStates: ReadonlySet<string> = new Set(['succeeded', 'failed', 'rolled_back']);

export function createRolloutRepo(db: Kysely<Database>) {
  const unfinished = () =>
    db
      .selectFrom('deployment_rollouts')
      .selectAll()
      .where('state', 'not in', [...terminalStates]);
  return {
    async insert(row: RolloutRow): Promise<void> {
      await db.insertInto('deployment_rollouts').values(row).execute();
    },
    async update(id: string, changes: RolloutChanges): Promise<void> {
      await db.updateTable('deployment_rollouts').set(changes).where('id', '=', id).execute();
    },
    async deploymentOf(id: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('deployment_rollouts')
        .select('deployment_id')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.deployment_id;
    },
    find(deploymentId: string, id: string): Promise<RolloutRow | undefined> {
      return db
        .selectFrom('deployment_rollouts')
        .selectAll()
        .where('deployment_id', '=', deploymentId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    /** The rollout of a deployment that has not finished, if any (at most one at a time). */
    inProgress(deploymentId: string): Promise<RolloutRow | undefined> {
      return unfinished().where('deployment_id', '=', deploymentId).executeTakeFirst();
    },
    /** Every unfinished rollout, for a restarted server to resume. */
    allInProgress(): Promise<RolloutRow[]> {
      return unfinished().orderBy('started_at').execute();
    },
    /** Newest first. */
    list(deploymentId: string, limit = 100): Promise<RolloutRow[]> {
      return db
        .selectFrom('deployment_rollouts')
        .selectAll()
        .where('deployment_id', '=', deploymentId)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },
  };
}

export type RolloutRepo = ReturnType<typeof createRolloutRepo>;
