import type { DeploymentSettings } from '@modelport/contracts';
import type { ServingPlan } from '../engine/index.js';
import { defaultRunnerThreads } from '../engine/index.js';
import type { RegistryService, ResolvedVersion } from '../registry/index.js';
import type { DeploymentRepo } from './repo.js';
import { servingPlan } from './serving-plan.js';
import type { StoredVariant } from './variants.js';

/** A variant with the registry version it serves. */
export type ResolvedVariant = StoredVariant & { resolved: ResolvedVersion };

/** What plans are made from: stored deployments (for the CPU budget), artifacts, body and GPU settings. */
export interface PlanDeps {
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
  // An autoscaled deployment is counted at its largest: threads are set when a pool starts, and an
  // instance added later must not oversubscribe the cores.
  const atMost = (s: DeploymentSettings, instances: number) => s.autoscaling?.maxInstances ?? instances;
  const totalInstances = (await deps.repo.all()).reduce((n, d) => {
    const stored = JSON.parse(d.spec) as DeploymentSettings;
    return n + atMost(stored, stored.instances);
  }, 0);
  return Promise.all(
    variants.map(async (v) =>
      servingPlan({
        id: row.id,
        name: row.name,
        resolved: v.resolved,
        settings: { ...settings, instances: clampInstances(settings, v.instances) },
        artifactPath: await deps.registry.localArtifactPath(v.resolved.version),
        threads: settings.threads ?? defaultRunnerThreads(totalInstances + atMost(settings, v.instances)),
        maxBodyBytes: deps.maxBodyBytes,
        gpu: deps.gpu,
        variant: v.name,
        shadow: shadowOf(v),
      }),
    ),
  );
}

/** An autoscaled variant starts within its bounds (at least one instance: zero is the idle rule's). */
function clampInstances(settings: DeploymentSettings, instances: number): number {
  const bounds = settings.autoscaling;
  if (!bounds) return instances;
  return Math.min(bounds.maxInstances, Math.max(1, bounds.minInstances, instances));
}
