import type { ModelTask, TrainingDeploy } from '@modelport/contracts';
import type { Principal } from '../../auth/index.js';

/** A dataset as a job reads it: where its file is on this machine, and what it holds. */
export interface LocatedDataset {
  id: string;
  format: string;
  sha256: string;
  /** The file (csv, jsonl) or the extracted folder of class sub-folders (images). */
  path: string;
  /** `table` columns with their inferred types and class counts, or image classes. */
  schema: DatasetShape;
}

export type DatasetShape =
  | {
      kind: 'table';
      rows: number;
      columns: { name: string; type: 'number' | 'string'; distinct: number | null; missing: number }[];
    }
  | { kind: 'images'; images: number; classes: string[] };

/** The datasets domain as training needs it (app/ wires it). */
export interface DatasetSource {
  /** 404 `dataset_not_found` for a dataset of another project or none at all. */
  locate(p: Principal, datasetId: string): Promise<LocatedDataset>;
}

export interface DeployOutcome {
  name: string;
  mode: 'replace' | 'canary';
  rolloutId: string | null;
}

/**
 * Puts a registered version into service (a layer above training does it: deployments and
 * rollouts live there).
 */
export type TrainedVersionDeployer = (
  p: Principal,
  model: { name: string; task: ModelTask; version: number },
  deploy: TrainingDeploy,
  jobId: string,
) => Promise<DeployOutcome>;
