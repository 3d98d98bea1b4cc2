import type { startRolloutRequest } from '@modelport/contracts';
import type { z } from 'zod';
import type { Principal } from '../../auth/index.js';
import { newId } from '../../platform/index.js';
import type { RegistryService } from '../../registry/index.js';
import { askedVariants, storedVariants } from '../asked-variants.js';
import type { DeploymentWithModel, RevisionRow } from '../repo.js';
import { resolveAsked } from '../resolve-variants.js';
import type { ResolvedVariant } from '../revision-plans.js';
import { checkVariants } from '../variants.js';
import type { RolloutRow } from './rollout-repo.js';
import type { StoredRolloutSpec } from './rollout-view.js';

export type StartRollout = z.output<typeof startRolloutRequest>;

/**
 * The new revision's variants, checked and resolved before anything starts or is stored (the
 * variants' catalogued 4xx, the registry's 404 for an unknown version or alias).
 */
export function rolloutTarget(
  registry: RegistryService,
  p: Principal,
  model: string,
  req: StartRollout,
): Promise<ResolvedVariant[]> {
  const asked = askedVariants(req.variants);
  checkVariants(asked);
  return resolveAsked(registry, p, model, asked);
}

interface NewRollout {
  dep: DeploymentWithModel;
  /** The new revision's number. */
  revision: number;
  target: readonly ResolvedVariant[];
  req: StartRollout;
  /** The strategy's steps (`rolling` takes one per variant instead). */
  steps: number[];
  startedBy: string;
  now: string;
}

/** What a started rollout stores: the new revision (its variants and guardrails) and the rollout's row. */
export function newRolloutRows(n: NewRollout): { revision: RevisionRow; rollout: RolloutRow } {
  const { dep, revision, target, req, now } = n;
  const variants = JSON.stringify(storedVariants(target));
  const spec: StoredRolloutSpec = {
    strategy: req.strategy,
    guardrails: req.guardrails,
    onInconclusive: req.onInconclusive,
    steps:
      req.strategy.type === 'rolling'
        ? target.map((_, i) => round(((i + 1) / target.length) * 100))
        : n.steps,
    variants,
  };
  return {
    revision: {
      id: `${dep.id}.${revision}`,
      deployment_id: dep.id,
      revision,
      variants,
      salt: dep.salt,
      guardrails: JSON.stringify(req.guardrails),
      created_at: now,
    },
    rollout: {
      id: newId('rol'),
      deployment_id: dep.id,
      from_revision: dep.revision,
      to_revision: revision,
      spec: JSON.stringify(spec),
      state: 'provisioning',
      step: -1,
      percent: 0,
      reason: null,
      last_evaluation: null,
      started_by: n.startedBy,
      started_at: now,
      updated_at: now,
      finished_at: null,
    },
  };
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
