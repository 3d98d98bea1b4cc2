import { z } from 'zod';

/** Everything a runner process needs, passed by the supervisor as one JSON argument. */
export const runnerSpecSchema = z.object({
  socketPath: z.string().min(1),
  backend: z.enum(['onnx', 'fake', 'llama', 'transformers']),
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
