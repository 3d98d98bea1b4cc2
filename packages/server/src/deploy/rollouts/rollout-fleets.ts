import type { DeploymentSettings } from '@modelport/contracts';
import type { Principal } from '../../auth/index.js';
import type { DeploymentWithModel } from '../repo.js';
import { resolveStored } from '../resolve-variants.js';
import { type PlanDeps, type ResolvedVariant, revisionPlans } from '../revision-plans.js';
import { type StoredVariant, trafficSplit } from '../variants.js';
import type { FleetSpec } from './run-spec.js';

/** A revision's fleet: a plan per variant (with the deployment's settings) and its traffic split. */
export async function fleetOf(
  deps: PlanDeps,
  dep: DeploymentWithModel,
  revision: number,
  variants: ResolvedVariant[],
): Promise<FleetSpec> {
  const settings = JSON.parse(dep.spec) as DeploymentSettings;
  return {
    plans: await revisionPlans(deps, dep, variants, settings),
    split: trafficSplit(revision, dep.salt, variants),
  };
}

/** The fleet of a stored revision, its variants resolved as `p`. */
export async function storedFleet(
  deps: PlanDeps,
  p: Principal,
  dep: DeploymentWithModel,
  revision: number,
  variants: readonly StoredVariant[],
): Promise<FleetSpec> {
  return fleetOf(deps, dep, revision, await resolveStored(deps.registry, p, dep.model_name, variants));
}
