import type { ScalingDecision } from '@modelport/contracts';
import type { AuditService } from '../audit/index.js';
import type { DeploymentRepo } from '../deploy/index.js';
import type { ServingPlan } from '../engine/index.js';

/** A pool the autoscaler resizes, in its deployment's project's audit log (`deployment.scale`). */
export async function recordScaling(
  repo: DeploymentRepo,
  audit: AuditService,
  plan: ServingPlan,
  decision: ScalingDecision,
): Promise<void> {
  const row = (await repo.all()).find((d) => d.id === plan.deploymentId);
  if (!row) return;
  await audit.record({
    project: row.project_id,
    key: null,
    action: 'deployment.scale',
    target: row.name,
    detail: { variant: plan.variant, fleet: plan.fleet ?? 'current', ...decision },
    requestId: null,
  });
}
