import { z } from 'zod';

/**
 * One interval of a deployment's serving figures, from this server's own metrics (each replica
 * reports what it served). A figure is null when nothing was measured in the interval.
 */
export const deploymentSeriesPointSchema = z.object({
  /** End of the interval, epoch milliseconds. */
  t: z.number(),
  /** Tensor inferences answered (OIP, predict) and failed, per second. */
  requestsPerSecond: z.number(),
  errorsPerSecond: z.number(),
  /** Time in the runner queue: mean, and the 95th percentile estimated from histogram buckets. */
  queueMsMean: z.number().nullable(),
  queueMsP95: z.number().nullable(),
  /** Model execution time of the batch each request ran in (p50, p95 from buckets). */
  computeMsP50: z.number().nullable(),
  computeMsP95: z.number().nullable(),
  /** Mean rows of the batch each request ran in (dynamic batching). */
  batchSizeMean: z.number().nullable(),
  /** Language models: time to the first token (p50, p95 from buckets) and generated tokens/s. */
  ttftMsP50: z.number().nullable(),
  ttftMsP95: z.number().nullable(),
  tokensPerSecond: z.number(),
});
export type DeploymentSeriesPoint = z.infer<typeof deploymentSeriesPointSchema>;

export const deploymentSeriesSchema = z.object({
  deployment: z.string(),
  /** Length of one interval. */
  intervalSeconds: z.number(),
  /** Oldest first; at most the server's limit (`GET` returns what it keeps). */
  points: z.array(deploymentSeriesPointSchema),
});
export type DeploymentSeries = z.infer<typeof deploymentSeriesSchema>;
