import {
  type DeploymentSettings,
  type PromoteRolloutRequest,
  promoteRolloutRequest,
  type Rollout,
  type StartRolloutRequest,
  startRolloutRequest,
} from '@modelport/contracts';
import type { AuditService } from '../../audit/index.js';
import type { Principal } from '../../auth/index.js';
import type { Engine, InstancePool, PoolOutcome } from '../../engine/index.js';
import { AppError, isAppError } from '../../platform/errors/index.js';
import type { Clock, Logger } from '../../platform/index.js';
import type { RegistryService } from '../../registry/index.js';
import type { DeploymentRepo, DeploymentWithModel } from '../repo.js';
import type { DeploymentService } from '../service.js';
import { parseVariants, primaryVariant } from '../variants.js';
import { newRolloutRows, rolloutTarget } from './new-rollout.js';
import { resumeRollouts } from './resume-rollouts.js';
import { fleetOf, storedFleet } from './rollout-fleets.js';
import type { RolloutMetrics } from './rollout-metrics.js';
import type { RolloutRepo, RolloutRow } from './rollout-repo.js';
import { type RolloutEvent, RolloutRun } from './rollout-run.js';
import { rolloutSteps } from './rollout-steps.js';
import { rolloutView, type StoredRolloutSpec, storedRolloutSpec } from './rollout-view.js';
import type { FleetSpec, RunSpec, Starter } from './run-spec.js';

export interface RolloutDeps {
  deployments: DeploymentService;
  repo: DeploymentRepo;
  rollouts: RolloutRepo;
  registry: RegistryService;
  engine: Engine;
  audit: AuditService;
  metrics: RolloutMetrics;
  clock: Clock;
  log: Logger;
  maxBodyBytes: number;
  gpu: 'auto' | 'off';
}

/**
 * Guarded rollouts of deployments: starts, drives, resumes and answers for them. Runs live in
 * this process (one per deployment at most); their state is stored at every transition, so a
 * restarted server resumes each where it was.
 */
export function createRolloutService(deps: RolloutDeps) {
  const { deployments, repo, rollouts, registry, engine, clock, log } = deps;
  const runs = new Map<string, RolloutRun>();

  engine.onOutcome((outcome) => record(outcome));

  function record({ pool, ms, error }: PoolOutcome): void {
    if (error !== undefined && !countsAsError(error)) return;
    deps.metrics.outcome(pool, ms, error !== undefined);
    runs.get(pool.plan.deploymentId)?.record(pool, ms, error !== undefined);
  }

  function runOf(row: RolloutRow, dep: DeploymentWithModel, from: FleetSpec, to: FleetSpec, by: Starter) {
    const spec = storedRolloutSpec.parse(JSON.parse(row.spec));
    const runSpec: RunSpec = {
      id: row.id,
      deploymentId: dep.id,
      deployment: dep.name,
      strategy: spec.strategy.type,
      steps: spec.steps,
      bakeMs: spec.strategy.bakeSeconds * 1000,
      guardrails: spec.guardrails,
      onInconclusive: spec.onInconclusive,
      from,
      to,
    };
    const run = new RolloutRun(runSpec, {
      engine,
      log,
      persist: (changes) => rollouts.update(row.id, changes),
      audit: (action, detail) => auditEvent(by, dep.name, action, { rollout: row.id, ...detail }),
      commit: () => commit(dep, row.to_revision, spec),
      changed: (r) => {
        deps.metrics.observe(dep.name, r);
        if (r.finished && runs.get(dep.id) === r) runs.delete(dep.id);
      },
    });
    runs.set(dep.id, run);
    return run;
  }

  /** The deployment now serves the new revision: it points at it, its summary follows. */
  async function commit(dep: DeploymentWithModel, revision: number, spec: StoredRolloutSpec) {
    const stored = parseVariants(spec.variants);
    const primary = primaryVariant(stored);
    const settings = { ...(JSON.parse(dep.spec) as DeploymentSettings), instances: primary.instances };
    await repo.pointAt(dep.id, {
      version: primary.version,
      spec: JSON.stringify(settings),
      revision,
      updated_at: clock.now().toISOString(),
    });
  }

  async function auditEvent(
    by: Starter,
    target: string,
    action: RolloutEvent,
    detail: Record<string, unknown>,
  ) {
    try {
      await deps.audit.record({
        project: by.projectId,
        key: by.keyId,
        action,
        target,
        detail,
        requestId: null,
      });
    } catch (err) {
      log.error({ err, action }, 'could not record rollout event');
    }
  }

  async function requireRollout(p: Principal, name: string, id: string) {
    const dep = await deployments.requireDeployment(p, name);
    const row =
      id === 'current'
        ? ((await rollouts.inProgress(dep.id)) ?? (await rollouts.list(dep.id, 1))[0])
        : await rollouts.find(dep.id, id);
    if (!row) throw new AppError('rollout_not_found', `Deployment '${name}' has no rollout '${id}'.`);
    return { dep, row };
  }

  /** The run driving a rollout in progress; one stored as unfinished without a run is being resumed. */
  function requireRun(dep: DeploymentWithModel, row: RolloutRow): RolloutRun {
    const run = runs.get(dep.id);
    if (!run || run.spec.id !== row.id)
      throw new AppError('rollout_state_conflict', `Rollout '${row.id}' is ${row.state}: it is not running.`);
    return run;
  }

  async function act(p: Principal, name: string, id: string, action: (run: RolloutRun) => Promise<void>) {
    const { dep, row } = await requireRollout(p, name, id);
    await action(requireRun(dep, row));
    const after = await rollouts.find(dep.id, row.id);
    return rolloutView(after ?? row, dep.name);
  }

  return {
    /** Whether this process runs the rollout in progress on a deployment. */
    runsHere: (deploymentId: string) => runs.has(deploymentId),
    /**
     * Starts a rollout to a new revision of `variants`: checked whole before anything starts or
     * is stored; answers once the rollout is stored and provisioning has begun.
     */
    async start(p: Principal, name: string, input: StartRolloutRequest): Promise<Rollout> {
      const req = startRolloutRequest.parse(input);
      const steps = rolloutSteps(req.strategy);
      const found = await deployments.requireDeployment(p, name);
      const target = await rolloutTarget(registry, p, found.model_name, req);
      const begun = await deployments.serially(found.id, async () => {
        const dep = await deployments.requireDeployment(p, name);
        const running = await rollouts.inProgress(dep.id);
        if (running) {
          if (!req.supersede)
            throw new AppError(
              'rollout_in_progress',
              `Deployment '${name}' has rollout '${running.id}' in progress (${running.state}).`,
            );
          await runs.get(dep.id)?.supersede();
          if (!runs.has(dep.id) && (await rollouts.inProgress(dep.id)))
            await rollouts.update(running.id, { state: 'rolled_back', reason: 'superseded' });
        }
        const number = await repo.nextRevisionNumber(dep.id);
        const from = await storedFleet(deps, p, dep, dep.revision, parseVariants(dep.variants));
        const to = await fleetOf(deps, dep, number, target);
        if (req.strategy.type !== 'rolling' && !engine.fitsBeside(to.plans))
          throw new AppError(
            'rollout_over_budget',
            `Revision ${number} of '${name}' does not fit the memory budget beside revision ${dep.revision}: ` +
              'use the rolling strategy, or free memory.',
          );
        const { revision, rollout: row } = newRolloutRows({
          dep,
          revision: number,
          target,
          req,
          steps,
          startedBy: p.keyId,
          now: clock.now().toISOString(),
        });
        await repo.addRevision(revision);
        await rollouts.insert(row);
        const run = runOf(row, dep, from, to, { projectId: p.projectId, keyId: p.keyId });
        void run.begin().catch((err: unknown) => log.error({ err, deployment: name }, 'rollout failed'));
        return { dep, row };
      });
      return rolloutView(begun.row, begun.dep.name);
    },

    async list(p: Principal, name: string): Promise<Rollout[]> {
      const dep = await deployments.requireDeployment(p, name);
      return (await rollouts.list(dep.id)).map((row) => rolloutView(row, dep.name));
    },

    async get(p: Principal, name: string, id: string): Promise<Rollout> {
      const { dep, row } = await requireRollout(p, name, id);
      return rolloutView(row, dep.name);
    },

    pause: (p: Principal, name: string, id: string) => act(p, name, id, (run) => run.pause()),
    resume: (p: Principal, name: string, id: string) => act(p, name, id, (run) => run.resume()),

    promote(p: Principal, name: string, id: string, input: PromoteRolloutRequest) {
      const { all } = promoteRolloutRequest.parse(input);
      return act(p, name, id, (run) => run.promote(all));
    },

    /** Rolls the rollout back; with none in progress, nothing changes (409 `rollout_state_conflict`). */
    async abort(p: Principal, name: string, id: string): Promise<Rollout> {
      const { dep, row } = await requireRollout(p, name, id);
      const run = runs.get(dep.id);
      if (!run || run.spec.id !== row.id || run.finished)
        throw new AppError(
          'rollout_state_conflict',
          `Rollout '${row.id}' is ${row.state}: nothing to abort.`,
        );
      await run.abort();
      return rolloutView((await rollouts.find(dep.id, row.id)) ?? row, dep.name);
    },

    /** LLM streams: time to the first token and between tokens, for the TTFT and ITL guardrails. */
    firstToken(pool: InstancePool, ms: number): void {
      runs.get(pool.plan.deploymentId)?.firstToken(pool, ms);
    },
    interToken(pool: InstancePool, ms: number): void {
      runs.get(pool.plan.deploymentId)?.interToken(pool, ms);
    },

    /** At start, after the deployments are restored: every unfinished rollout resumes where it was. */
    resumeAll: () => resumeRollouts(deps, runOf),

    /** A deleted deployment's run stops (its rows went with it). */
    forget(deploymentId: string): void {
      runs.get(deploymentId)?.stop();
      runs.delete(deploymentId);
    },

    /** Server closing: timers stop, states stay stored, a restart resumes them. */
    close(): void {
      for (const run of runs.values()) run.stop();
      runs.clear();
    },

    /** Runs in this process (tests and metrics). */
    running(deploymentId: string): RolloutRun | undefined {
      return runs.get(deploymentId);
    },
  };
}

export type RolloutService = ReturnType<typeof createRolloutService>;

/** A request counts against a revision when the server failed it: not a caller's 4xx, not a client gone. */
export function countsAsError(error: unknown): boolean {
  if (error === undefined) return false;
  if (isAppError(error)) return error.status >= 500;
  return !(error instanceof Error && error.name === 'AbortError');
}
