import type { Deployment, DeploymentSettings, Revision, Rollout } from '@modelport/contracts';
import type { Engine } from '../engine/index.js';
import type { FailoverState } from './failover/failover-chains.js';
import type { DeploymentWithModel, RevisionRow } from './repo.js';
import { parseVariants, variantView } from './variants.js';

/** A deployment as the management API shows it: its summary, current revision, and live instances. */
export function deploymentView(
  engine: Engine,
  failover: FailoverState,
  row: DeploymentWithModel,
  rollout: Rollout | null = null,
): Deployment {
  const pools = engine.pools(row.id);
  const settings = JSON.parse(row.spec) as DeploymentSettings;
  const standing = failover.status(row.id, settings.failover);
  return {
    name: row.name,
    model: row.model_name,
    version: row.version,
    settings,
    revision: row.revision,
    variants: parseVariants(row.variants).map(variantView),
    rollout,
    status: engine.status(row.id),
    ready: pools.some((pool) => pool.ready),
    scaling: pools.map((pool) => {
      const { desired, last } = engine.autoscaler.status(pool);
      const { autoscaling, instances } = pool.plan.settings;
      return {
        variant: pool.plan.variant,
        fleet: pool.plan.fleet ?? 'current',
        current: pool.instances.length,
        desired,
        minInstances: autoscaling?.minInstances ?? instances,
        maxInstances: autoscaling?.maxInstances ?? instances,
        lastDecision: last,
      };
    }),
    failover: {
      ...standing,
      until: standing.until === null ? null : new Date(standing.until).toISOString(),
    },
    instances: pools.flatMap((pool) =>
      pool.instances.map(({ host, outstanding }) => ({
        version: pool.plan.version,
        variant: pool.plan.variant,
        fleet: pool.plan.fleet ?? 'current',
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

export function revisionView(row: RevisionRow): Revision {
  return {
    revision: row.revision,
    variants: parseVariants(row.variants).map(variantView),
    guardrails: row.guardrails === null ? null : JSON.parse(row.guardrails),
    createdAt: row.created_at,
  };
}
