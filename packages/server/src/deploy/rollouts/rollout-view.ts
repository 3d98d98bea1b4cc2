import {
  type Evaluation,
  guardrailsSchema,
  onInconclusiveSchema,
  type Rollout,
  type RolloutState,
  rolloutStrategySchema,
} from '@modelport/contracts';
import { z } from 'zod';
import { parseVariants, variantView } from '../variants.js';
import type { RolloutRow } from './rollout-repo.js';

/** `deployment_rollouts.spec`: what the rollout was started with, resolved. */
export const storedRolloutSpec = z.object({
  strategy: rolloutStrategySchema,
  guardrails: guardrailsSchema,
  onInconclusive: onInconclusiveSchema,
  steps: z.array(z.number()),
  /** The new revision's variants as stored (`deployment_revisions.variants`). */
  variants: z.string(),
});
export type StoredRolloutSpec = z.infer<typeof storedRolloutSpec>;

/** A rollout as the API shows it, from its stored row (every transition and evaluation is stored). */
export function rolloutView(row: RolloutRow, deployment: string): Rollout {
  const spec = storedRolloutSpec.parse(JSON.parse(row.spec));
  return {
    id: row.id,
    deployment,
    fromRevision: row.from_revision,
    toRevision: row.to_revision,
    strategy: spec.strategy,
    guardrails: spec.guardrails,
    onInconclusive: spec.onInconclusive,
    state: row.state as RolloutState,
    steps: spec.steps,
    step: row.step,
    percent: row.percent,
    reason: row.reason,
    targetVariants: parseVariants(spec.variants).map(variantView),
    lastEvaluation: row.last_evaluation ? (JSON.parse(row.last_evaluation) as Evaluation) : null,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
