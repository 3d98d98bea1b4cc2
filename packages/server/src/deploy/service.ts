import {
  type CreateDeploymentRequest,
  createDeploymentRequest,
  type Deployment,
  type DeploymentSettings,
  deploymentSettingsSchema,
  type UpdateDeploymentRequest,
  updateDeploymentRequest,
} from '@modelport/contracts';
import type { Principal } from '../auth/index.js';
import { mayUseModel } from '../auth/index.js';
import type { Engine, InstancePool, ServingPlan } from '../engine/index.js';
import { defaultRunnerThreads } from '../engine/index.js';
import { isUniqueViolation } from '../platform/db/index.js';
import { AppError, isAppError } from '../platform/errors/index.js';
import type { Clock, Logger } from '../platform/index.js';
import { newId } from '../platform/index.js';
import type { RegistryService, ResolvedVersion } from '../registry/index.js';
import { parseVersionRef, type VersionRef } from '../registry/index.js';
import type { DeploymentRepo, DeploymentWithModel } from './repo.js';
import { servingPlan } from './serving-plan.js';

/** Refusals of the memory budget, answered as they are rather than as a model that cannot load. */
const budgetCodes: ReadonlySet<string> = new Set(['memory_budget_busy', 'memory_budget_exceeded']);

export interface DeploymentDeps {
  repo: DeploymentRepo;
  registry: RegistryService;
  engine: Engine;
  clock: Clock;
  log: Logger;
  maxBodyBytes: number;
  gpu: 'auto' | 'off';
}

export function createDeploymentService(deps: DeploymentDeps) {
  const { repo, registry, engine, clock } = deps;

  function refFor(model: string, version: number | string | undefined): VersionRef {
    if (version === undefined) return { model, kind: 'latest' };
    return typeof version === 'number'
      ? { model, kind: 'number', version }
      : { model, kind: 'alias', alias: version };
  }

  async function planFor(
    id: string,
    name: string,
    resolved: ResolvedVersion,
    settings: DeploymentSettings,
  ): Promise<ServingPlan> {
    const totalInstances = (await repo.all()).reduce(
      (n, d) => n + (JSON.parse(d.spec) as DeploymentSettings).instances,
      0,
    );
    return servingPlan({
      id,
      name,
      resolved,
      settings,
      artifactPath: await registry.localArtifactPath(resolved.version),
      threads: settings.threads ?? defaultRunnerThreads(totalInstances + settings.instances),
      maxBodyBytes: deps.maxBodyBytes,
      gpu: deps.gpu,
    });
  }

  function view(row: DeploymentWithModel): Deployment {
    const pools = engine.pools(row.id);
    return {
      name: row.name,
      model: row.model_name,
      version: row.version,
      settings: JSON.parse(row.spec) as DeploymentSettings,
      status: engine.status(row.id),
      ready: pools.some((pool) => pool.ready),
      instances: pools.flatMap((pool) =>
        pool.instances.map(({ host, outstanding }) => ({
          version: pool.plan.version,
          state: host.state,
          pid: host.pid ?? null,
          restarts: host.restarts,
          outstanding,
          memoryBytes: host.memoryBytes(pool.plan.instanceBytes),
        })),
      ),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async function requireDeployment(p: Principal, name: string): Promise<DeploymentWithModel> {
    const row = await repo.find(p.projectId, name);
    if (!row || !mayUseModel(p, row.model_name)) {
      throw new AppError('deployment_not_found', `Deployment '${name}' does not exist.`);
    }
    return row;
  }

  return {
    requireDeployment,

    async create(p: Principal, input: CreateDeploymentRequest): Promise<Deployment> {
      const req = createDeploymentRequest.parse(input);
      const name = req.name ?? req.model;
      if (await repo.find(p.projectId, name)) {
        throw new AppError('deployment_already_exists', `Deployment '${name}' already exists.`);
      }
      const resolved = await registry.resolveRef(p, refFor(req.model, req.version));
      const settings = deploymentSettingsSchema.parse(req);
      const id = newId('dep');
      const plan = await planFor(id, name, resolved, settings);
      const now = clock.now().toISOString();
      const row = {
        id,
        project_id: p.projectId,
        name,
        model_id: resolved.model.id,
        version: plan.version,
        spec: JSON.stringify(settings),
        created_at: now,
        updated_at: now,
      };
      try {
        await repo.insert(row);
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError('deployment_already_exists', `Deployment '${name}' already exists.`);
        throw err;
      }
      try {
        await engine.start(plan);
      } catch (err) {
        await repo.delete(id);
        if (isAppError(err) && budgetCodes.has(err.code)) throw err;
        throw new AppError('invalid_artifact', `The model could not be loaded: ${(err as Error).message}`, {
          cause: err,
        });
      }
      return view({ ...row, model_name: resolved.model.name });
    },

    async list(p: Principal): Promise<Deployment[]> {
      return (await repo.list(p.projectId)).filter((d) => mayUseModel(p, d.model_name)).map(view);
    },

    async get(p: Principal, name: string): Promise<Deployment> {
      return view(await requireDeployment(p, name));
    },

    /** A new version starts beside the old one and takes traffic only once ready. */
    async update(p: Principal, name: string, input: UpdateDeploymentRequest): Promise<Deployment> {
      const req = updateDeploymentRequest.parse(input);
      const row = await requireDeployment(p, name);
      const current = JSON.parse(row.spec) as DeploymentSettings;
      const settings = { ...current, ...(req.instances ? { instances: req.instances } : {}) };
      const resolved = await registry.resolveRef(
        p,
        req.version === undefined
          ? { model: row.model_name, kind: 'number', version: row.version }
          : refFor(row.model_name, req.version),
      );
      await engine.start(await planFor(row.id, row.name, resolved, settings));
      const updated = {
        version: resolved.version.version,
        spec: JSON.stringify(settings),
        updated_at: clock.now().toISOString(),
      };
      await repo.update(row.id, updated);
      return view({ ...row, ...updated });
    },

    async delete(p: Principal, name: string): Promise<void> {
      const row = await requireDeployment(p, name);
      await repo.delete(row.id);
      await engine.stop(row.id);
    },

    /**
     * The pool answering for a deployment, optionally checked against a version in the path. An
     * unloaded deployment is loaded first, unless `load` is false (readiness probes only look).
     */
    async servingPool(
      p: Principal,
      name: string,
      version?: string,
      { load = true }: { load?: boolean } = {},
    ): Promise<{ row: DeploymentWithModel; pool: InstancePool }> {
      const row = await repo.find(p.projectId, name);
      if (!row || !mayUseModel(p, row.model_name))
        throw new AppError('model_not_found', `Model '${name}' is not deployed.`);
      const served = engine.plan(row.id)?.version ?? row.version;
      if (version !== undefined && version !== String(served)) {
        throw new AppError(
          'version_not_found',
          `Deployment '${name}' serves version ${served}, not ${version}.`,
        );
      }
      const pool = load ? await engine.loaded(row.id) : engine.pool(row.id);
      if (!pool)
        throw new AppError('model_not_ready', `Deployment '${name}' is not running.`, { retryAfterS: 1 });
      return { row, pool };
    },

    /** The pool for an API `model` field: `name`, `name:version` or `name@alias`. */
    async servingPoolFor(p: Principal, model: string) {
      const ref = parseVersionRef(model);
      let version: string | undefined;
      if (ref.kind === 'number') version = String(ref.version);
      if (ref.kind === 'alias') version = String((await registry.resolveRef(p, ref)).version.version);
      return this.servingPool(p, ref.model, version);
    },

    /**
     * At start: bring every stored deployment back up; one past the memory budget stays unloaded
     * until its first request, one that fails to load is logged and left down.
     */
    async restoreAll(): Promise<void> {
      for (const row of await repo.all()) {
        const settings = deploymentSettingsSchema.parse(JSON.parse(row.spec));
        const system: Principal = {
          keyId: 'system',
          projectId: row.project_id,
          organizationId: '',
          scopes: ['admin'],
          models: null,
          limits: null,
        };
        try {
          const resolved = await registry.resolveRef(system, {
            model: row.model_name,
            kind: 'number',
            version: row.version,
          });
          await engine.restore(await planFor(row.id, row.name, resolved, settings));
        } catch (err) {
          deps.log.error({ err, deployment: row.name }, 'could not restore deployment');
        }
      }
    },
  };
}

export type DeploymentService = ReturnType<typeof createDeploymentService>;
