import type { Deployment } from '@modelport/contracts';
import type { AuditService } from '../audit/index.js';
import type { Principal } from '../auth/index.js';
import type { DeploymentService, RolloutService } from '../deploy/index.js';
import { AppError, isAppError } from '../platform/errors/index.js';
import type { TrainedVersionDeployer } from '../training/index.js';

/**
 * How a training job puts its new version into service: a missing deployment is created; an
 * existing one swaps to the version with zero downtime (`replace`) or rolls it out as a guarded
 * canary (`canary`, the rollout API's canary strategy). Each action is in the audit log in the
 * name of the key that created the job.
 */
export function trainedVersionDeployer(deps: {
  deployments: DeploymentService;
  rollouts: RolloutService;
  audit: AuditService;
}): TrainedVersionDeployer {
  const { deployments, rollouts, audit } = deps;
  const record = (
    p: Principal,
    action: 'deployment.create' | 'deployment.update' | 'rollout.start',
    target: string,
    detail: Record<string, unknown>,
  ) => audit.record({ project: p.projectId, key: p.keyId, action, target, detail, requestId: null });

  return async (p, model, deploy, jobId) => {
    const name = deploy.deployment ?? model.name;
    const existing = await findDeployment(deployments, p, name);
    if (!existing) {
      await deployments.create(p, { name, model: model.name, version: model.version });
      await record(p, 'deployment.create', name, { model: model.name, version: model.version, job: jobId });
      return { name, mode: 'replace', rolloutId: null };
    }
    if (existing.model !== model.name)
      throw new AppError(
        'validation_failed',
        `Deployment '${name}' serves model '${existing.model}', not '${model.name}'.`,
        { param: 'deploy.deployment' },
      );
    if (deploy.mode === 'replace') {
      await deployments.update(p, name, { version: model.version });
      await record(p, 'deployment.update', name, { model: model.name, version: model.version, job: jobId });
      return { name, mode: 'replace', rolloutId: null };
    }
    const canary = deploy.canary ?? { percent: 10, bakeSeconds: 60 };
    const serving = heaviestProduction(existing);
    const rollout = await rollouts.start(p, name, {
      variants: [
        {
          variantName: serving?.variantName ?? 'default',
          modelVersion: model.version,
          instances: serving?.instances ?? 1,
          weight: 100,
        },
      ],
      strategy: { type: 'canary', percent: canary.percent, bakeSeconds: canary.bakeSeconds },
      ...('guardrails' in canary ? { guardrails: canary.guardrails } : {}),
      ...('onInconclusive' in canary ? { onInconclusive: canary.onInconclusive } : {}),
    });
    await record(p, 'rollout.start', name, {
      fromRevision: rollout.fromRevision,
      toRevision: rollout.toRevision,
      state: rollout.state,
      job: jobId,
    });
    return { name, mode: 'canary', rolloutId: rollout.id };
  };
}

async function findDeployment(
  deployments: DeploymentService,
  p: Principal,
  name: string,
): Promise<Deployment | null> {
  try {
    return await deployments.get(p, name);
  } catch (err) {
    if (isAppError(err) && err.code === 'deployment_not_found') return null;
    throw err;
  }
}

function heaviestProduction(deployment: Deployment) {
  return deployment.variants
    .filter((v) => v.role === 'production')
    .reduce<Deployment['variants'][number] | undefined>(
      (best, v) => (!best || v.weight > best.weight ? v : best),
      undefined,
    );
}
