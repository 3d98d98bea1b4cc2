import type { DeploymentSettings } from '@modelport/contracts';
import type { BackendName } from '../wire/runner/index.js';

export type RunnerBackend = BackendName;

/** What one pool of a deployment runs: a version of a model, with its settings. */
export interface ServingPlan {
  deploymentId: string;
  name: string;
  /** Which of the deployment's variants this pool serves (a deployment holds one pool per variant). */
  variant: string;
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
