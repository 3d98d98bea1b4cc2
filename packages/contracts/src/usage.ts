import { z } from 'zod';

/**
 * Money is given and shown in units of the operator's currency (decimal numbers) and kept as
 * integer nano-units in the store, so sums and budgets never drift.
 */
const amount = z.number().min(0).max(1_000_000);

export const priceRequest = z.strictObject({
  inputPer1kTokens: amount.default(0),
  outputPer1kTokens: amount.default(0),
  perRequest: amount.default(0),
  perComputeSecond: amount.default(0),
});
export type PriceRequest = z.input<typeof priceRequest>;

export const priceSchema = z.object({
  model: z.string(),
  inputPer1kTokens: z.number(),
  outputPer1kTokens: z.number(),
  perRequest: z.number(),
  perComputeSecond: z.number(),
  updatedAt: z.string(),
});
export type Price = z.infer<typeof priceSchema>;
export const priceListSchema = z.object({ data: z.array(priceSchema) });

export const budgetPeriods = ['day', 'week', 'month', 'never'] as const;
export const budgetPeriodSchema = z.enum(budgetPeriods);
export type BudgetPeriod = z.infer<typeof budgetPeriodSchema>;

export const budgetRequest = z.strictObject({
  /** Spending allowed per period; 0 refuses every model request of the key or project. */
  limit: amount.max(1_000_000_000),
  /** When the spent amount starts again from 0 (UTC; weeks start on Monday). */
  period: budgetPeriodSchema.default('month'),
});
export type BudgetRequest = z.input<typeof budgetRequest>;

export const budgetSchema = z.object({
  id: z.string(),
  scope: z.enum(['project', 'key']),
  /** The project's id or the key's id. */
  target: z.string(),
  limit: z.number(),
  period: budgetPeriodSchema,
  spent: z.number(),
  remaining: z.number(),
  /** Start of the current period; null for `never`. */
  periodStart: z.string().nullable(),
  /** When `spent` goes back to 0; null for `never`. */
  resetsAt: z.string().nullable(),
});
export type Budget = z.infer<typeof budgetSchema>;
export const budgetListSchema = z.object({ data: z.array(budgetSchema) });

const isoInstant = z.iso.datetime({ offset: true });

/** The most groups one page of `GET /api/v1/usage` answers (and its default). */
export const MAX_USAGE_GROUPS = 1_000;

export const usageGroupings = ['project', 'key', 'model', 'version', 'day'] as const;
const grouping = `(${usageGroupings.join('|')})`;
export const usageQuery = z.strictObject({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  /** Comma-separated dimensions among project, key, model, version, day (default `key,model,day`). */
  groupBy: z
    .string()
    .regex(
      new RegExp(`^${grouping}(,${grouping})*$`),
      `a comma-separated list of ${usageGroupings.join(', ')}`,
    )
    .default('key,model,day'),
  /** Groups per page, in the order of the groupings' values. */
  limit: z.coerce.number().int().min(1).max(MAX_USAGE_GROUPS).default(MAX_USAGE_GROUPS),
  /** The `nextCursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'the nextCursor of a previous page')
    .optional(),
  key: z.string().max(100).optional(),
  model: z.string().max(100).optional(),
});
export type UsageQuery = Omit<z.input<typeof usageQuery>, 'limit'> & { limit?: number };

export const usageBucketSchema = z.object({
  project: z.string().optional(),
  key: z.string().optional(),
  model: z.string().optional(),
  /** The model version that answered (grouping by version without model mixes models' numbers). */
  version: z.number().int().optional(),
  day: z.string().optional(),
  requests: z.number(),
  errors: z.number(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  computeMs: z.number(),
  cost: z.number(),
});
export type UsageBucket = z.infer<typeof usageBucketSchema>;
export const usageReportSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  data: z.array(usageBucketSchema),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: z.string().nullable(),
});
export type UsageReport = z.infer<typeof usageReportSchema>;

export const usageExportQuery = z.strictObject({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
});

/** Columns of `GET /api/v1/usage/export`, in order. */
export const usageExportColumns = [
  'request_id',
  'client_request_id',
  'finished_at',
  'started_at',
  'project',
  'key',
  'model',
  'deployment',
  'version',
  'endpoint',
  'status',
  'error_code',
  'tokens_in',
  'tokens_out',
  'queue_ms',
  'compute_ms',
  'cost',
] as const;
