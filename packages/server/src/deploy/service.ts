import {
  type CreateDeploymentRequest,
  createDeploymentRequest,
  type Deployment,
  type DeploymentSettings,
  type Revision,
  type SetVariantsRequest,
  setVariantsRequest,
  type UpdateDeploymentRequest,
  updateDeploymentRequest,
} from '@modelport/contracts';
import type { Principal } from '../auth/index.js';
import { mayUseModel } from '../auth/index.js';
import type { Engine } from '../engine/index.js';
import { isUniqueViolation } from '../platform/db/index.js';
import { AppError, isAppError } from '../platform/errors/index.js';
import type { Clock, Logger } from '../platform/index.js';
import { newId } from '../platform/index.js';
import type { RegistryService } from '../registry/index.js';
import { askedVariants, defaultVariant, firstRevisionRows, storedVariants } from './asked-variants.js';
import { deploymentView, revisionView } from './deployment-view.js';
import { createFailoverChains } from './failover/failover-chains.js';
import type { DeploymentRepo, DeploymentWithModel } from './repo.js';
import { refFor, resolveAsked, resolveStored } from './resolve-variants.js';
import { restoreDeployments } from './restore-deployments.js';
import { type ResolvedVariant, revisionPlans } from './revision-plans.js';
import type { RolloutRepo } from './rollouts/rollout-repo.js';
import { rolloutView } from './rollouts/rollout-view.js';
import { serialized } from './serialized.js';
import { createServingPools } from './serving-pools.js';
import { checkVariants, parseVariants, primaryVariant, trafficSplit } from './variants.js';
import { withAutoscaling } from './with-autoscaling.js';

/**
 * Failures answered as they are rather than as a model that cannot load: the memory budget's
 * refusals, a deployment deleted meanwhile, and a runner's refusal of the version's config or the
 * deployment's options (the artifact is fine then).
 */
const passedThrough: ReadonlySet<string> = new Set([
  'memory_budget_busy',
  'memory_budget_exceeded',
  'deployment_not_found',
  'invalid_config',
  'validation_failed',
  'unsupported_runtime',
]);

export interface DeploymentDeps {
  repo: DeploymentRepo;
  registry: RegistryService;
  engine: Engine;
  clock: Clock;
  log: Logger;
  maxBodyBytes: number;
  gpu: 'auto' | 'off';
  /** Rollouts in progress: changes of variants wait for them, views show them. */
  rollouts: RolloutRepo;
  /** Starts a deployment another replica stored, on its first request here (replica-sync.ts). */
  ensureServed?: ((row: DeploymentWithModel) => Promise<void>) | undefined;
}

export function createDeploymentService(deps: DeploymentDeps) {
  const { repo, registry, engine, clock } = deps;
  const pools = createServingPools({ repo, registry, engine, ensureServed: deps.ensureServed });
  const taskOf = async (p: Principal, model: string) => (await registry.getModel(p, model)).task;
  const chains = createFailoverChains({ ...pools, clock, taskOf });

  /**
   * Serves a revision's variants through the engine (new pools ready before traffic moves, removed
   * ones drained); nothing changes when any pool cannot start. A model that cannot load is the
   * caller's artifact (4xx) unless the runner named another cause (`passedThrough`).
   */
  async function serveRevision(
    row: Pick<DeploymentWithModel, 'id' | 'name'>,
    variants: ResolvedVariant[],
    settings: DeploymentSettings,
    revision: { number: number; salt: string },
    restart: string[] = [],
  ): Promise<void> {
    const plans = await revisionPlans(deps, row, variants, settings);
    try {
      await engine.deploy(plans, trafficSplit(revision.number, revision.salt, variants), restart);
    } catch (err) {
      if (isAppError(err) && passedThrough.has(err.code)) throw err;
      throw new AppError('invalid_artifact', `The model could not be loaded: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /**
   * Serves and stores revision N+1 of a deployment (one change at a time per deployment): the
   * deployment's summary follows its heaviest production variant.
   */
  async function nextRevision(
    row: DeploymentWithModel,
    variants: ResolvedVariant[],
    restart: string[] = [],
  ): Promise<Deployment> {
    const primary = primaryVariant(variants);
    const settings = { ...(JSON.parse(row.spec) as DeploymentSettings), instances: primary.instances };
    const number = await repo.nextRevisionNumber(row.id);
    await serveRevision(row, variants, settings, { number, salt: row.salt }, restart);
    const now = clock.now().toISOString();
    const stored = storedVariants(variants);
    const changes = {
      version: primary.version,
      spec: JSON.stringify(settings),
      revision: number,
      updated_at: now,
    };
    await repo.update(row.id, changes, {
      id: `${row.id}.${number}`,
      deployment_id: row.id,
      revision: number,
      variants: JSON.stringify(stored),
      salt: row.salt,
      guardrails: null,
      created_at: now,
    });
    return view({ ...row, ...changes, variants: JSON.stringify(stored) });
  }

  const oneAtATime = serialized();
  const deleteListeners: ((deploymentId: string) => void)[] = [];

  /** A deployment and the rollout in progress on it. */
  async function view(row: DeploymentWithModel): Promise<Deployment> {
    const rollout = await deps.rollouts.inProgress(row.id);
    return deploymentView(engine, chains.failover, row, rollout ? rolloutView(rollout, row.name) : null);
  }

  /** Changes of variants wait for no rollout: one in progress is aborted or superseded first. */
  async function refuseDuringRollout(row: DeploymentWithModel): Promise<void> {
    const running = await deps.rollouts.inProgress(row.id);
    if (running)
      throw new AppError(
        'rollout_in_progress',
        `Deployment '${row.name}' has rollout '${running.id}' in progress: abort it first, or start a rollout with supersede.`,
      );
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

    /** Runs a change of one deployment after the changes before it (revision numbers depend on them). */
    serially: oneAtATime,

    /** Called with the id of each deployment deleted. */
    onDelete(listener: (deploymentId: string) => void): void {
      deleteListeners.push(listener);
    },

    /**
     * Revision 1 of a new deployment: its `variants`, else one variant `default` of `version`. All
     * checked before anything is stored; stored, then served, and deleted again if any pool
     * cannot start.
     */
    async create(p: Principal, input: CreateDeploymentRequest): Promise<Deployment> {
      const { name: asked, model, version, variants, ...rest } = createDeploymentRequest.parse(input);
      const name = asked ?? model;
      const wanted = variants ? askedVariants(variants) : [defaultVariant(version, rest.instances)];
      checkVariants(wanted);
      if (await repo.find(p.projectId, name)) {
        throw new AppError('deployment_already_exists', `Deployment '${name}' already exists.`);
      }
      const resolved = await resolveAsked(registry, p, model, wanted);
      const task = resolved[0]?.resolved.model.task ?? 'tensor';
      if (rest.fallbacks) await chains.checkFallbacks(p, { name, task }, rest.fallbacks);
      const id = newId('dep');
      const { row, revision, settings, modelName } = firstRevisionRows({
        id,
        projectId: p.projectId,
        name,
        settings: rest,
        variants: resolved,
        now: clock.now().toISOString(),
      });
      try {
        await repo.insert(row, revision);
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError('deployment_already_exists', `Deployment '${name}' already exists.`);
        throw err;
      }
      try {
        await serveRevision(row, resolved, settings, { number: 1, salt: id });
      } catch (err) {
        await repo.delete(id);
        throw err;
      }
      return view({ ...row, model_name: modelName, variants: revision.variants, salt: id });
    },

    async list(p: Principal): Promise<Deployment[]> {
      const rows = (await repo.list(p.projectId)).filter((d) => mayUseModel(p, d.model_name));
      return Promise.all(rows.map(view));
    },

    async get(p: Principal, name: string): Promise<Deployment> {
      return view(await requireDeployment(p, name));
    },

    /**
     * A new version or instance count of a one-variant deployment: revision N+1, whose pool starts
     * beside the old one and takes traffic only once ready; so does a change of `autoscaling`.
     * `fallbacks` and `failover` alone are stored as they are: no revision, no restart.
     */
    async update(p: Principal, name: string, input: UpdateDeploymentRequest): Promise<Deployment> {
      const { fallbacks, failover, autoscaling, ...req } = updateDeploymentRequest.parse(input);
      const found = await requireDeployment(p, name);
      return oneAtATime(found.id, async () => {
        const current = await requireDeployment(p, name);
        await refuseDuringRollout(current);
        const chained = await chains.withChainSettings(p, current, { fallbacks, failover });
        const row = autoscaling === undefined ? chained : withAutoscaling(chained, autoscaling);
        if (req.version === undefined && req.instances === undefined) {
          if (autoscaling !== undefined) {
            const variants = await resolveStored(registry, p, row.model_name, parseVariants(row.variants));
            return nextRevision(
              row,
              variants,
              variants.map((v) => v.name),
            );
          }
          const updated_at = clock.now().toISOString();
          await repo.updateSettings(row.id, { spec: row.spec, updated_at });
          return view({ ...row, updated_at });
        }
        const [only, ...others] = parseVariants(row.variants);
        if (!only) throw new Error(`deployment '${name}' has no variant`);
        if (others.length > 0)
          throw new AppError(
            'invalid_variants',
            `Deployment '${name}' has several variants: change them with PUT /api/v1/deployments/${name}/variants.`,
          );
        const resolved = await registry.resolveRef(
          p,
          req.version === undefined
            ? { model: row.model_name, kind: 'number', version: only.version }
            : refFor(row.model_name, req.version),
        );
        const variant = {
          ...only,
          version: resolved.version.version,
          instances: req.instances ?? only.instances,
        };
        // A PATCH starts fresh runners even when nothing changed (as a version swap always did).
        return nextRevision(row, [{ ...variant, resolved }], [variant.name]);
      });
    },

    /** Replaces the variants and weights: revision N+1, or nothing at all when refused. */
    async setVariants(p: Principal, name: string, input: SetVariantsRequest): Promise<Deployment> {
      const req = setVariantsRequest.parse(input);
      const found = await requireDeployment(p, name);
      const asked = askedVariants(req.variants);
      checkVariants(asked);
      const variants = await resolveAsked(registry, p, found.model_name, asked);
      return oneAtATime(found.id, async () => {
        const row = await requireDeployment(p, name);
        await refuseDuringRollout(row);
        return nextRevision(row, variants);
      });
    },

    async revisions(p: Principal, name: string): Promise<Revision[]> {
      const row = await requireDeployment(p, name);
      return (await repo.revisions(row.id)).map(revisionView);
    },

    async delete(p: Principal, name: string): Promise<void> {
      const row = await requireDeployment(p, name);
      for (const listener of deleteListeners) listener(row.id);
      chains.forgetFailures(row.id);
      await repo.delete(row.id);
      await engine.stop(row.id);
    },

    ...pools,
    servingChain: chains.servingChain,
    servingChainFor: chains.servingChainFor,
    /** Failover moves and cool-downs (metrics). */
    failover: chains.failover,

    /**
     * At start: bring every stored deployment back up; one past the memory budget stays unloaded
     * until its first request, one that fails to load is logged and left down.
     */
    restoreAll: () => restoreDeployments(deps),
  };
}

export type DeploymentService = ReturnType<typeof createDeploymentService>;
