import { z } from 'zod';
import { zodIssueError } from '../../platform/errors/index.js';
import { transformersTasks } from '../../wire/index.js';
import { resolveTransformersConfig, type TransformersTaskConfig } from '../../wire/task-config/index.js';

/** What a transformers runner reads from `spec.options`: the task and the version's config. */
const transformersOptionsSchema = z.object({
  task: z.enum(transformersTasks),
  taskConfig: z.record(z.string(), z.unknown()).default({}),
});

export interface TransformersOptions {
  task: (typeof transformersTasks)[number];
  taskConfig: TaskConfig;
}
export type TaskConfig = TransformersTaskConfig;

/** A bad task is the deployment's (`options.task`); a bad config is the version's (`config.dtype`). */
export function parseTransformersOptions(options: Record<string, unknown>): TransformersOptions {
  const parsed = transformersOptionsSchema.safeParse(options);
  if (!parsed.success) throw zodIssueError(parsed.error, 'transformers runner options', 'options.');
  const { task, taskConfig } = parsed.data;
  return { task, taskConfig: resolveTransformersConfig(taskConfig, task) };
}
