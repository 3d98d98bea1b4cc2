import type { Principal } from '../auth/index.js';
import { mayUseModel } from '../auth/index.js';
import type { Engine, InstancePool, RoutingHints } from '../engine/index.js';
import { AppError } from '../platform/errors/index.js';
import type { RegistryService } from '../registry/index.js';
import { parseVersionRef } from '../registry/index.js';
import type { DeploymentRepo, DeploymentWithModel } from './repo.js';
import type { RequestRouting } from './request-routing.js';
import { parseVariants } from './variants.js';

interface ServingDeps {
  repo: DeploymentRepo;
  registry: RegistryService;
  engine: Engine;
  ensureServed?: ((row: DeploymentWithModel) => Promise<void>) | undefined;
}

/** Routes inference requests: a deployment's pool for each request, chosen once. */
export function createServingPools({ repo, registry, engine, ensureServed }: ServingDeps) {
  /** Where a request goes: a named variant (it must exist), the path's version, and its session. */
  function routeHints(
    row: DeploymentWithModel,
    version: string | undefined,
    routing?: RequestRouting,
  ): RoutingHints {
    const served = engine.plans(row.id);
    const variants =
      served.length > 0
        ? served.map((p) => ({ name: p.variant, version: p.version, shadow: p.shadow !== undefined }))
        : parseVariants(row.variants).map((v) => ({
            name: v.name,
            version: v.version,
            shadow: v.role === 'shadow',
          }));
    const target = routing?.target;
    if (target !== undefined && !variants.some((v) => v.name === target))
      throw new AppError('unknown_variant', `Deployment '${row.name}' has no variant '${target}'.`);
    const session = routing?.session;
    if (version === undefined) return { variant: target, session };
    // A version in the path names a production variant; a shadow is reached only by its name.
    const candidates = variants.filter((v) => (target === undefined ? !v.shadow : v.name === target));
    const matching = candidates.filter((v) => String(v.version) === version);
    if (matching.length === 0) {
      const versions = [...new Set(candidates.map((v) => v.version))].join(', ');
      throw new AppError(
        'version_not_found',
        `Deployment '${row.name}' serves version ${versions}, not ${version}.`,
      );
    }
    // A path naming a version that only some variants serve goes to the first of them.
    const some = matching.length < candidates.length;
    return { variant: target ?? (some ? matching[0]?.name : undefined), session };
  }

  /** A deployment of the caller's project (and allow-list) by name; undefined for any other. */
  async function findServed(p: Principal, name: string): Promise<DeploymentWithModel | undefined> {
    const row = await repo.find(p.projectId, name);
    return row && mayUseModel(p, row.model_name) ? row : undefined;
  }

  /**
   * The pool answering for a deployment found, optionally checked against a version in the path. An
   * unloaded deployment is loaded first, unless `load` is false (readiness probes only look).
   */
  async function poolOf(
    row: DeploymentWithModel,
    version?: string,
    { load = true, routing }: { load?: boolean; routing?: RequestRouting | undefined } = {},
  ): Promise<InstancePool> {
    if (load) await ensureServed?.(row);
    const hints = routeHints(row, version, routing);
    const pool = load ? await engine.loaded(row.id, hints) : engine.pool(row.id, hints);
    if (!pool)
      throw new AppError('model_not_ready', `Deployment '${row.name}' is not running.`, { retryAfterS: 1 });
    const split = pool.plan.fleet === 'next' ? engine.rollout(row.id)?.split : engine.split(row.id);
    routing?.routed(pool.plan.variant, split?.revision ?? row.revision);
    return pool;
  }

  /** A deployment of the caller's project by name, or 404 `model_not_found`. */
  async function requireServed(p: Principal, name: string): Promise<DeploymentWithModel> {
    const row = await findServed(p, name);
    if (!row) throw new AppError('model_not_found', `Model '${name}' is not deployed.`);
    return row;
  }

  return {
    findServed,
    requireServed,
    poolOf,

    /** The pool answering for a deployment named in a path (see `poolOf`). */
    async servingPool(
      p: Principal,
      name: string,
      version?: string,
      options: { load?: boolean; routing?: RequestRouting | undefined } = {},
    ): Promise<{ row: DeploymentWithModel; pool: InstancePool }> {
      const row = await requireServed(p, name);
      return { row, pool: await poolOf(row, version, options) };
    },

    /** An API `model` field (`name`, `name:version` or `name@alias`) as a deployment name and version. */
    async modelRef(p: Principal, model: string): Promise<{ name: string; version: string | undefined }> {
      const ref = parseVersionRef(model);
      if (ref.kind === 'number') return { name: ref.model, version: String(ref.version) };
      if (ref.kind === 'alias')
        return { name: ref.model, version: String((await registry.resolveRef(p, ref)).version.version) };
      return { name: ref.model, version: undefined };
    },
  };
}
