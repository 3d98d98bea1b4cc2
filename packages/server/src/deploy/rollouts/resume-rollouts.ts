import type { Logger } from '../../platform/index.js';
import type { DeploymentWithModel } from '../repo.js';
import type { PlanDeps } from '../revision-plans.js';
import { systemPrincipal } from '../system-principal.js';
import { parseVariants } from '../variants.js';
import { storedFleet } from './rollout-fleets.js';
import type { RolloutRepo, RolloutRow } from './rollout-repo.js';
import type { RolloutRun } from './rollout-run.js';
import type { FleetSpec, Starter } from './run-spec.js';

interface ResumeDeps extends PlanDeps {
  rollouts: RolloutRepo;
  log: Logger;
}

/** Makes the run of a stored rollout (the service keeps it). */
type RunOf = (
  row: RolloutRow,
  dep: DeploymentWithModel,
  from: FleetSpec,
  to: FleetSpec,
  by: Starter,
) => RolloutRun;

/**
 * At start, after the deployments are restored: every unfinished rollout resumes where it was,
 * acting as the key that started it. One that cannot is stored as failed (`resume_failed`).
 */
export async function resumeRollouts(deps: ResumeDeps, runOf: RunOf): Promise<void> {
  const { repo, rollouts, log } = deps;
  for (const row of await rollouts.allInProgress()) {
    try {
      const dep = (await repo.all()).find((d) => d.id === row.deployment_id);
      if (!dep) continue;
      const system = systemPrincipal(dep.project_id, row.started_by ?? 'system');
      const next = await repo.revision(dep.id, row.to_revision);
      if (!next) throw new Error(`revision ${row.to_revision} is missing`);
      const from = await storedFleet(deps, system, dep, dep.revision, parseVariants(dep.variants));
      const to = await storedFleet(deps, system, dep, row.to_revision, parseVariants(next.variants));
      const run = runOf(row, dep, from, to, { projectId: dep.project_id, keyId: row.started_by });
      log.info({ deployment: dep.name, rollout: row.id, state: row.state }, 'resuming rollout');
      void run
        .begin({ state: row.state as RolloutRun['state'], step: row.step, reason: row.reason })
        .catch((err: unknown) => log.error({ err, deployment: dep.name }, 'rollout failed to resume'));
    } catch (err) {
      log.error({ err, rollout: row.id }, 'could not resume rollout');
      await rollouts.update(row.id, {
        state: 'failed',
        reason: `resume_failed: ${(err as Error).message}`,
      });
    }
  }
}
