import type { DeploymentSettings } from '@modelport/contracts';
import type { BackendName } from '../wire/runner/index.js';
import { type Fleet, slotOf } from './choose-pool.js';

export type RunnerBackend = BackendName;

/** What one pool of a deployment runs: a version of a model, with its settings. */
export interface ServingPlan {
  deploymentId: string;
  name: string;
  /** Which of the deployment's variants this pool serves (a deployment holds one pool per variant). */
  variant: string;
  /** `next`: the revision a rollout moves to, served beside the current one until promoted or rolled back. */
  fleet?: Fleet;
  /**
   * Set for a shadow variant: it takes no traffic of its own, but a copy of `samplingPercent`% of
   * its fleet's production requests (answers dropped, compared with production's).
   */
  shadow?: { samplingPercent: number };
  modelName: string;
  /** The model's task (`tensor`, `text-generation`, `image-classification`, …). */
  task: string;
  version: number;
  backend: RunnerBackend;
  artifactPath: string;
  settings: DeploymentSettings;
  threads: number;
  maxBodyBytes: number;
  /** Memory one instance is expected to hold before it is measured (see instance-memory.ts). */
  instanceBytes: number;
}

/** The key of a plan's pool within its deployment (the next fleet's beside the current one's). */
export function planSlot(plan: Pick<ServingPlan, 'variant' | 'fleet'>): string {
  return slotOf(plan.variant, plan.fleet);
}
