import { z } from 'zod';

/**
 * What a shadow variant did with the copies of production requests it was sent, since its pool
 * started or a revision changed it (its version, settings or samplingPercent). Latencies are in
 * milliseconds over the last 5 minutes; null when nothing was measured.
 */
export const shadowReportSchema = z.object({
  variant: z.string(),
  samplingPercent: z.number(),
  /** Copies sent to the shadow. */
  sent: z.number().int(),
  /** Copies not sent: the shadow already had its bound of copies in flight. */
  dropped: z.number().int(),
  /** Copies the shadow failed: 5xx answers, timeouts, runner failures. */
  errors: z.number().int(),
  latencyP50: z.number().nullable(),
  latencyP95: z.number().nullable(),
  /** The same production requests' latencies (those that were mirrored). */
  productionLatencyP50: z.number().nullable(),
  productionLatencyP95: z.number().nullable(),
  /** Copies whose answer was compared with production's (both answered). */
  compared: z.number().int(),
  /** Of those, the ones whose outputs equal production's (tensors: same bytes; JSON: deep equality). */
  identical: z.number().int(),
  /** Mean absolute difference of FP32 output elements of the compared tensor answers; null when none. */
  meanAbsDiff: z.number().nullable(),
});
export type ShadowReport = z.infer<typeof shadowReportSchema>;

export const shadowReportListSchema = z.object({ data: z.array(shadowReportSchema) });
