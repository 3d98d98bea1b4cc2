import type { FailoverSettings } from '@modelport/contracts';
import type { Principal } from '../../auth/index.js';
import { AppError } from '../../platform/errors/index.js';
import type { DeploymentWithModel } from '../repo.js';
import { settingsOf } from './chain-settings.js';

export interface FallbackCheckDeps {
  findServed(p: Principal, name: string): Promise<DeploymentWithModel | undefined>;
  /** The task of a model of the caller's project. */
  taskOf(p: Principal, model: string): Promise<string>;
}

function refuse(message: string): never {
  throw new AppError('invalid_fallbacks', message);
}

/**
 * Checks the fallbacks a deployment (`self`, serving `task`) is given: other deployments of the
 * project, each once, serving the same task, none leading back to `self` through the fallbacks
 * already stored (a cycle).
 */
export async function checkFallbacks(
  deps: FallbackCheckDeps,
  p: Principal,
  self: { name: string; task: string },
  fallbacks: readonly string[],
): Promise<void> {
  const seen = new Set<string>();
  for (const name of fallbacks) {
    if (name === self.name) refuse(`Deployment '${self.name}' cannot be its own fallback.`);
    if (seen.has(name)) refuse(`Fallback '${name}' is named twice.`);
    seen.add(name);
    const row = await deps.findServed(p, name);
    if (!row) refuse(`Fallback '${name}' is not a deployment of this project.`);
    const task = await deps.taskOf(p, row.model_name);
    if (task !== self.task) refuse(`Fallback '${name}' serves ${task}, not ${self.task}.`);
    const path = await pathBack(deps, p, row, self.name, new Set());
    if (path) refuse(`Fallback '${name}' would make a cycle: ${[self.name, ...path].join(' → ')}.`);
  }
}

/** The fallbacks leading from `from` back to `target` (stored chains, followed to their ends), if any. */
async function pathBack(
  deps: FallbackCheckDeps,
  p: Principal,
  from: DeploymentWithModel,
  target: string,
  visited: Set<string>,
): Promise<string[] | undefined> {
  visited.add(from.name);
  for (const next of settingsOf(from).fallbacks ?? []) {
    if (next === target) return [from.name, target];
    if (visited.has(next)) continue;
    const row = await deps.findServed(p, next);
    const path = row && (await pathBack(deps, p, row, target, visited));
    if (path) return [from.name, ...path];
  }
  return undefined;
}

/**
 * A deployment's row with `fallbacks` and `failover` changed as asked, checked but not stored:
 * the caller stores it with whatever else changes (all or nothing).
 */
export async function withChainSettings(
  deps: FallbackCheckDeps,
  p: Principal,
  row: DeploymentWithModel,
  change: { fallbacks?: string[] | undefined; failover?: FailoverSettings | undefined },
): Promise<DeploymentWithModel> {
  const { fallbacks, failover } = change;
  if (fallbacks === undefined && failover === undefined) return row;
  if (fallbacks !== undefined)
    await checkFallbacks(deps, p, { name: row.name, task: await deps.taskOf(p, row.model_name) }, fallbacks);
  const { fallbacks: oldFallbacks, ...settings } = settingsOf(row);
  const kept = fallbacks ?? oldFallbacks ?? [];
  const spec = {
    ...settings,
    ...(kept.length > 0 ? { fallbacks: kept } : {}),
    ...(failover === undefined ? {} : { failover }),
  };
  return { ...row, spec: JSON.stringify(spec) };
}
