import { z } from 'zod';
import { backendNames } from './backend-names.js';

/**
 * Where a runner listens: a Unix socket for a runner beside its API process, or a TCP address for
 * one on another host (port 0 picks a free one).
 */
export const runnerListenSchema = z.union([
  z.strictObject({ socketPath: z.string().min(1) }),
  z.strictObject({ host: z.string().min(1), port: z.int().min(0).max(65_535) }),
]);
export type RunnerListen = z.infer<typeof runnerListenSchema>;

/** Everything a runner process needs, passed by the supervisor as one JSON argument. */
export const runnerSpecSchema = z.object({
  listen: runnerListenSchema,
  backend: z.enum(backendNames),
  modelPath: z.string(),
  modelName: z.string(),
  modelVersion: z.string(),
  threads: z.number().int().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
  batching: z.object({
    maxBatchSize: z.number().int().min(1),
    maxQueueDelayMs: z.number().min(0),
    preferredBatchSizes: z.array(z.number().int().min(1)).optional(),
  }),
  maxQueueSize: z.number().int().min(1),
  timeoutMs: z.number().int().min(1),
  /** Largest request body the runner accepts (the API process enforces its own limit first). */
  maxBodyBytes: z.number().int().min(1),
});
export type RunnerSpec = z.infer<typeof runnerSpecSchema>;
