import type { z } from 'zod';
import { AppError, zodIssueError } from '../../platform/errors/index.js';
import type { TensorSpec } from '../tensor.js';

/** The version config does not fit the task or the model; `param` is the config key at fault. */
export function taskConfigError(task: string, param: string, message: string): AppError {
  return new AppError('invalid_config', `Invalid version config for ${task}, ${param}: ${message}`, {
    param,
  });
}

/** A config the task's schema refuses, named by its path inside the version (`config.image.channels`). */
export function configIssuesError(error: z.ZodError, task: string): AppError {
  return zodIssueError(error, `version config for ${task}`, 'config.', 'invalid_config');
}

/** The tensor named in the config, or the model's first one when the config names none. */
export function pickTensor(
  task: string,
  specs: readonly TensorSpec[],
  name: string | undefined,
  kind: 'input' | 'output',
): TensorSpec {
  const found = name === undefined ? specs[0] : specs.find((s) => s.name === name);
  if (found) return found;
  const names = specs.map((s) => s.name).join(', ') || 'none';
  const message =
    name === undefined ? `the model has no ${kind}` : `the model has no ${kind} '${name}' (it has ${names})`;
  throw taskConfigError(task, `config.${kind}`, message);
}
