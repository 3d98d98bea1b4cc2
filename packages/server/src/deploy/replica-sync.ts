import { type DeploymentSettings, deploymentSettingsView } from '@modelport/contracts';
import type { Engine } from '../engine/index.js';
import type { ChangeNotices } from '../platform/db/index.js';
import type { Logger } from '../platform/index.js';
import type { DeploymentWithModel } from './repo.js';
import { resolveStored } from './resolve-variants.js';
import { type PlanDeps, revisionPlans } from './revision-plans.js';
import type { RolloutRepo } from './rollouts/rollout-repo.js';
import { systemPrincipal } from './system-principal.js';
import { parseVariants, type StoredVariant, trafficSplit } from './variants.js';

/** Every so often each replica reads what it serves again, in case a notice was lost. */
const RESYNC_EVERY_MS = 30_000;
/** A deployment that failed to start on first use is not tried again for this long. */
const RETRY_START_MS = 10_000;
/** Rollout states in which the next revision's fleet takes a share of the traffic. */
const SHARING = new Set(['shifting', 'baking', 'paused']);

interface SyncDeps extends PlanDeps {
  /** Other processes share the store (PostgreSQL): without them there is nothing to follow. */
  shared: boolean;
  engine: Engine;
  rollouts: RolloutRepo;
  notices: ChangeNotices;
  log: Logger;
}

/**
 * Keeps the deployments this API process serves in line with the store when other processes (the
 * replicas on the same PostgreSQL) change them: each write of a deployment or a rollout is announced
 * (`announce`), and a replica told of one reads that deployment again and serves what it says — a
 * new revision swapped in without dropping requests, a rollout's next fleet staged and given its
 * share, promoted or rolled back, a deleted deployment stopped. A deployment a replica does not
 * serve yet is started on its first request (`ensureServed`). Notices arrive within milliseconds;
 * a lost one is caught up at the next reconnection or within `RESYNC_EVERY_MS`.
 */
export function createReplicaSync(deps: SyncDeps) {
  const { engine, notices, log } = deps;
  const pending = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  /** Deployments whose rollout this process runs: it moves their fleets itself. */
  let runsHere: (deploymentId: string) => boolean = () => false;
  const failedStarts = new Map<string, number>();
  /** Served here but not in the store at the last resync: stopped if still missing at the next. */
  let missing = new Set<string>();

  /** One reconciliation per deployment at a time; a notice during one runs again after it. */
  function oneAtATime(id: string, work: () => Promise<void>): Promise<void> {
    const previous = pending.get(id) ?? Promise.resolve();
    const next = previous.then(work, work).catch((err: unknown) => {
      log.warn({ err, deploymentId: id }, 'could not follow a change made by another replica');
    });
    pending.set(id, next);
    void next.finally(() => {
      if (pending.get(id) === next) pending.delete(id);
    });
    return next;
  }

  async function plansOf(row: DeploymentWithModel, variants: StoredVariant[]) {
    const settings: DeploymentSettings = deploymentSettingsView.parse(JSON.parse(row.spec));
    const resolved = await resolveStored(
      deps.registry,
      systemPrincipal(row.project_id),
      row.model_name,
      variants,
    );
    return { plans: await revisionPlans(deps, row, resolved, settings), resolved };
  }

  /** Serves the stored state of one deployment, if this process serves it at all. */
  async function reconcile(id: string): Promise<void> {
    if (engine.plans(id).length === 0 || runsHere(id)) return;
    const row = await deps.repo.byId(id);
    if (!row) {
      await engine.stop(id);
      return;
    }
    const staged = engine.rollout(id);
    // Revisions only grow: a store behind the engine is this process's own change not yet committed.
    if ((engine.split(id)?.revision ?? 0) < row.revision) {
      if (staged?.split.revision === row.revision) engine.promote(id);
      else {
        const variants = parseVariants(row.variants);
        const { plans, resolved } = await plansOf(row, variants);
        await engine.deploy(plans, trafficSplit(row.revision, row.salt, resolved));
      }
    }
    await followRollout(row);
  }

  /** The next fleet of the rollout in progress, staged with its share here too; or none. */
  async function followRollout(row: DeploymentWithModel): Promise<void> {
    const rollout = await deps.rollouts.inProgress(row.id);
    const staged = engine.rollout(row.id);
    const rolling =
      rollout && (JSON.parse(rollout.spec) as { strategy?: { type?: string } }).strategy?.type === 'rolling';
    if (!rollout || rolling || !SHARING.has(rollout.state)) {
      if (staged && staged.split.revision !== row.revision && rollout?.state !== 'provisioning')
        engine.rollBack(row.id);
      return;
    }
    if (staged?.split.revision !== rollout.to_revision) {
      const revision = await deps.repo.revision(row.id, rollout.to_revision);
      if (!revision) return;
      const { plans, resolved } = await plansOf(row, parseVariants(revision.variants));
      await engine.stage(plans, trafficSplit(rollout.to_revision, revision.salt, resolved));
    }
    engine.shift(row.id, rollout.percent);
  }

  /** Reads every deployment this process serves again. */
  async function resyncAll(): Promise<void> {
    const served = await deps.repo.all();
    const known = new Set(served.map((r) => r.id));
    await Promise.all(served.map((r) => oneAtATime(r.id, () => reconcile(r.id))));
    // Deleted while this process was not listening. Seen twice, so a deployment this process is
    // creating (served before its row is committed) is never taken for one.
    const absent = new Set(
      engine
        .activePools()
        .map((p) => p.plan.deploymentId)
        .filter((id) => !known.has(id)),
    );
    for (const id of absent) if (missing.has(id)) await oneAtATime(id, () => engine.stop(id));
    missing = absent;
  }

  /** A resync that fails (the database away, the process closing) waits for the next one. */
  async function resyncSafely(): Promise<void> {
    if (closed) return;
    try {
      await resyncAll();
    } catch (err) {
      if (!closed) log.warn({ err: String(err) }, 'could not read the deployments again');
    }
  }

  return {
    /** Starts following the other replicas' changes. */
    async start(): Promise<void> {
      if (!deps.shared) return;
      notices.onNotice((notice) => {
        if (notice.kind === 'deployment' || notice.kind === 'rollout')
          void oneAtATime(notice.id, () => reconcile(notice.id));
      });
      notices.onResync(() => void resyncSafely());
      await notices.start();
      timer = setInterval(() => void resyncSafely(), RESYNC_EVERY_MS);
      timer.unref();
    },

    /** Names the deployments whose rollouts this process runs (they are not followed). */
    setLocalRollouts(predicate: (deploymentId: string) => boolean): void {
      runsHere = predicate;
    },

    /** Tells the other replicas that a deployment (or its rollout) changed. */
    announce(kind: 'deployment' | 'rollout', deploymentId: string): void {
      notices.publish({ kind, id: deploymentId }).catch((err: unknown) => {
        log.warn({ err, deploymentId }, 'could not tell the other replicas of a change');
      });
    },

    /**
     * A deployment stored by another replica and not served here yet: start its stored revision
     * (within the memory budget; past it, it stays unloaded and the request loads it).
     */
    ensureServed(row: DeploymentWithModel): Promise<void> {
      if (engine.plans(row.id).length > 0) return Promise.resolve();
      if (Date.now() - (failedStarts.get(row.id) ?? 0) < RETRY_START_MS) return Promise.resolve();
      return oneAtATime(row.id, async () => {
        if (engine.plans(row.id).length > 0) return;
        try {
          const { plans, resolved } = await plansOf(row, parseVariants(row.variants));
          await engine.restore(plans, trafficSplit(row.revision, row.salt, resolved));
        } catch (err) {
          failedStarts.set(row.id, Date.now());
          throw err;
        }
        failedStarts.delete(row.id);
        await followRollout(row);
      });
    },

    async close(): Promise<void> {
      closed = true;
      if (timer) clearInterval(timer);
      await notices.close();
    },
  };
}

export type ReplicaSync = ReturnType<typeof createReplicaSync>;
