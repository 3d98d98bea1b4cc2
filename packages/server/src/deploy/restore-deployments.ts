import { deploymentSettingsView } from '@modelport/contracts';
import type { Engine } from '../engine/index.js';
import type { Logger } from '../platform/index.js';
import { resolveStored } from './resolve-variants.js';
import { type PlanDeps, revisionPlans } from './revision-plans.js';
import { systemPrincipal } from './system-principal.js';
import { parseVariants, trafficSplit } from './variants.js';

interface RestoreDeps extends PlanDeps {
  engine: Engine;
  log: Logger;
}

/**
 * At start: brings every stored deployment back up; one past the memory budget stays unloaded
 * until its first request, one that fails to load is logged and left down.
 */
export async function restoreDeployments(deps: RestoreDeps): Promise<void> {
  for (const row of await deps.repo.all()) {
    const settings = deploymentSettingsView.parse(JSON.parse(row.spec));
    const system = systemPrincipal(row.project_id);
    try {
      const variants = await resolveStored(
        deps.registry,
        system,
        row.model_name,
        parseVariants(row.variants),
      );
      const plans = await revisionPlans(deps, row, variants, settings);
      await deps.engine.restore(plans, trafficSplit(row.revision, row.salt, variants));
    } catch (err) {
      deps.log.error({ err, deployment: row.name }, 'could not restore deployment');
    }
  }
}
