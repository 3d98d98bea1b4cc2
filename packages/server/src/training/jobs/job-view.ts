import type {
  EpochMetrics,
  TrainingError,
  TrainingJob,
  TrainingJobState,
  TrainingProgress,
  TrainingResult,
} from '@modelport/contracts';
import type { JobRow } from './job-repo.js';

export function toTrainingJob(row: JobRow, epochs: EpochMetrics[]): TrainingJob {
  return {
    id: row.id,
    project: row.project_id,
    name: row.model_name,
    dataset: row.dataset_id,
    state: row.state as TrainingJobState,
    spec: JSON.parse(row.spec) as Record<string, unknown>,
    progress: JSON.parse(row.progress) as TrainingProgress,
    epochs,
    result: row.result === null ? null : (JSON.parse(row.result) as TrainingResult),
    error: row.error === null ? null : (JSON.parse(row.error) as TrainingError),
    attempts: row.attempts,
    cancelRequested: row.cancel_requested === 1,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
  };
}
