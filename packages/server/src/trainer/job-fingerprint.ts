import { createHash } from 'node:crypto';
import type { TrainingSpec } from '@modelport/contracts';
import type { PreparedData } from './preprocess/prepared-data.js';

/**
 * Identifies a job's training run for its checkpoints: the specification (less how long to train)
 * and what the data became (the fitted preprocessing and the split sizes), so a checkpoint never
 * resumes another job or changed data.
 */
export function jobFingerprint(spec: TrainingSpec, data: PreparedData): string {
  const { epochs: _epochs, timeBudgetSeconds: _budget, ...rest } = spec;
  const split = {
    train: data.split.train.length,
    validation: data.split.validation.length,
    test: data.split.test.length,
  };
  return createHash('sha256')
    .update(JSON.stringify({ spec: rest, state: data.state, split }))
    .digest('hex');
}
