import type { DeploymentSettings } from '@modelport/contracts';
import type { ServingPlan } from '../engine/index.js';
import { defaultRunnerThreads } from '../engine/index.js';
import type { RegistryService, ResolvedVersion } from '../registry/index.js';
import type { DeploymentRepo } from './repo.js';
import { servingPlan } from './serving-plan.js';
import type { StoredVariant } from './variants.js';

/** A variant with the registry version it serves. */
export type ResolvedVariant = StoredVariant & { resolved: ResolvedVersion };

interface PlanDeps {
  repo: DeploymentRepo;
  registry: RegistryService;
  maxBodyBytes: number;
  gpu: 'auto' | 'off';
}

/** What a shadow variant's plan carries: its sampling; undefined for a production variant. */
function shadowOf(v: StoredVariant): { samplingPercent: number } | undefined {
  if (v.role !== 'shadow') return undefined;
  return { samplingPercent: v.samplingPercent ?? 100 };
}

/** One serving plan per variant of a revision: the deployment's settings with the variant's instances. */
export async function revisionPlans(
  deps: PlanDeps,
  row: { id: string; name: string },
  variants: readonly ResolvedVariant[],
  settings: DeploymentSettings,
): Promise<ServingPlan[]> {
  const totalInstances = (await deps.repo.all()).reduce(
    (n, d) => n + (JSON.parse(d.spec) as DeploymentSettings).instances,
    0,
  );
  return Promise.all(
    variants.map(async (v) =>
      servingPlan({
        id: row.id,
        name: row.name,
        resolved: v.resolved,
        settings: { ...settings, instances: v.instances },
        artifactPath: await deps.registry.localArtifactPath(v.resolved.version),
        threads: settings.threads ?? defaultRunnerThreads(totalInstances + v.instances),
        maxBodyBytes: deps.maxBodyBytes,
        gpu: deps.gpu,
        variant: v.name,
        shadow: shadowOf(v),
      }),
    ),
  );
}
