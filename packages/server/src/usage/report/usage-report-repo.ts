import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, UsageEventsTable } from '../../platform/db/index.js';

export type UsageEventRow = Selectable<UsageEventsTable>;
export type UsageDimension = 'project' | 'key' | 'model' | 'version' | 'day';

export interface UsageFilter {
  projectId: string;
  /** ISO instants (normalized to UTC): `from` inclusive, `to` exclusive, on `finished_at`. */
  from?: string | undefined;
  to?: string | undefined;
  keyId?: string | undefined;
  model?: string | undefined;
}

export interface UsageAggregate {
  project?: string;
  key?: string;
  model?: string;
  version?: number;
  day?: string;
  requests: number;
  errors: number;
  tokensIn: number;
  tokensOut: number;
  computeMs: number;
  costNanos: number;
}

const day = sql<string>`substr(finished_at, 1, 10)`;

export function createUsageReportRepo(db: Kysely<Database>) {
  const filtered = (f: UsageFilter) => {
    let q = db.selectFrom('usage_events').where('project_id', '=', f.projectId);
    if (f.from) q = q.where('finished_at', '>=', f.from);
    if (f.to) q = q.where('finished_at', '<', f.to);
    if (f.keyId) q = q.where('key_id', '=', f.keyId);
    if (f.model) q = q.where('model', '=', f.model);
    return q;
  };

  return {
    /** Sums per group; sums are cast so PostgreSQL returns numbers, not numeric strings. */
    async aggregate(
      f: UsageFilter,
      dims: readonly UsageDimension[],
      page: { offset: number; limit: number } = { offset: 0, limit: Number.MAX_SAFE_INTEGER },
    ): Promise<UsageAggregate[]> {
      let q = filtered(f).select([
        sql<number>`count(*)`.as('requests'),
        sql<number>`cast(sum(case when status >= 400 then 1 else 0 end) as bigint)`.as('errors'),
        sql<number>`cast(sum(tokens_in) as bigint)`.as('tokens_in'),
        sql<number>`cast(sum(tokens_out) as bigint)`.as('tokens_out'),
        sql<number>`sum(compute_ms)`.as('compute_ms'),
        sql<number>`cast(sum(cost_nanos) as bigint)`.as('cost_nanos'),
      ]);
      if (dims.includes('project')) q = q.select('project_id').groupBy('project_id').orderBy('project_id');
      if (dims.includes('key')) q = q.select('key_id').groupBy('key_id').orderBy('key_id');
      if (dims.includes('model')) q = q.select('model').groupBy('model').orderBy('model');
      if (dims.includes('version')) q = q.select('version').groupBy('version').orderBy('version');
      if (dims.includes('day')) q = q.select(day.as('day')).groupBy(day).orderBy(day);
      // Every group column is ordered on, so the order is total and an offset names one place.
      const rows = (await q.limit(page.limit).offset(page.offset).execute()) as Array<
        Record<string, unknown>
      >;
      return rows.map((r) => ({
        ...(dims.includes('project') ? { project: String(r.project_id) } : {}),
        ...(dims.includes('key') ? { key: String(r.key_id) } : {}),
        ...(dims.includes('model') ? { model: String(r.model) } : {}),
        ...(dims.includes('version') ? { version: Number(r.version) } : {}),
        ...(dims.includes('day') ? { day: String(r.day) } : {}),
        requests: Number(r.requests),
        errors: Number(r.errors ?? 0),
        tokensIn: Number(r.tokens_in ?? 0),
        tokensOut: Number(r.tokens_out ?? 0),
        computeMs: Number(r.compute_ms ?? 0),
        costNanos: Number(r.cost_nanos ?? 0),
      }));
    },

    /** One page of rows in (finished_at, request_id) order, after the given position. */
    page(f: UsageFilter, after: { finishedAt: string; requestId: string } | undefined, limit: number) {
      let q = filtered(f).selectAll();
      if (after) {
        q = q.where((eb) =>
          eb.or([
            eb('finished_at', '>', after.finishedAt),
            eb.and([eb('finished_at', '=', after.finishedAt), eb('request_id', '>', after.requestId)]),
          ]),
        );
      }
      return q.orderBy('finished_at').orderBy('request_id').limit(limit).execute() as Promise<
        UsageEventRow[]
      >;
    },
  };
}

export type UsageReportRepo = ReturnType<typeof createUsageReportRepo>;
