import type { TrainingError } from '@modelport/contracts';
import { isAppError } from '../../platform/errors/index.js';
import type { Logger } from '../../platform/index.js';

export type JobFailure = TrainingError;

/**
 * Why a job failed, as its row keeps it: a catalog error (bad data found late, a registration or
 * deployment refused) keeps its code, message and field; anything else is `training_failed` and
 * goes to the log with its stack.
 */
export function failureOf(err: unknown, log: Logger, jobId: string): JobFailure {
  if (isAppError(err)) {
    return {
      code: err.code,
      message: err.message,
      param: err.param ?? null,
      ...(err.details === undefined ? {} : { details: err.details }),
    };
  }
  log.error({ err, job: jobId }, 'training job failed');
  return {
    code: 'training_failed',
    message: `Training failed: ${err instanceof Error ? err.message : String(err)}`,
    param: null,
  };
}
