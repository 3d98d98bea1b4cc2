import type { DeploymentRepo } from './repo.js';
import type { RolloutRepo } from './rollouts/rollout-repo.js';

type Announce = (kind: 'deployment' | 'rollout', deploymentId: string) => void;

/**
 * The deployment repo, announcing every committed write that changes what is served (so the other
 * replicas follow it): a new deployment, a new or promoted revision, settings, a deletion.
 */
export function announcingDeploymentRepo(repo: DeploymentRepo, announce: Announce): DeploymentRepo {
  const told = (id: string) => announce('deployment', id);
  return {
    ...repo,
    async insert(row, revision) {
      await repo.insert(row, revision);
      told(row.id);
    },
    async update(id, changes, revision) {
      await repo.update(id, changes, revision);
      told(id);
    },
    async updateSettings(id, changes) {
      await repo.updateSettings(id, changes);
      told(id);
    },
    async pointAt(id, changes) {
      await repo.pointAt(id, changes);
      told(id);
    },
    async delete(id) {
      await repo.delete(id);
      told(id);
    },
  };
}

/** The rollout repo, announcing each step a rollout takes (state and share) for its deployment. */
export function announcingRolloutRepo(repo: RolloutRepo, announce: Announce): RolloutRepo {
  return {
    ...repo,
    async insert(row) {
      await repo.insert(row);
      announce('rollout', row.deployment_id);
    },
    async update(id, changes) {
      await repo.update(id, changes);
      const deploymentId = await repo.deploymentOf(id);
      if (deploymentId) announce('rollout', deploymentId);
    },
  };
}
