import type { Database as SqliteConnection } from 'better-sqlite3';
import type { UsageEventsTable } from '../../platform/db/index.js';
import { currentPeriodStarts } from './budget-periods.js';
import type { UsageRow } from './usage-row.js';
import { chargesOf } from './write-usage-batch.js';

/** Every column of a ledger row, in the order the insert binds them. */
const COLUMNS = [
  'request_id',
  'client_request_id',
  'project_id',
  'key_id',
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
  'cost_nanos',
  'started_at',
  'finished_at',
] as const satisfies readonly (keyof UsageEventsTable)[];

/** The period's start as of now (its three values bound in order); other periods keep theirs. */
const CURRENT_START = `case period when 'day' then ? when 'week' then ? when 'month' then ? else period_start end`;

/**
 * `writeUsageBatch` on prepared statements of one SQLite connection: the same transaction (rows
 * inserted once, a retried row charged no second time, budgets charged by period) without
 * building and compiling the queries again for each commit, which cost about twice the SQLite
 * work itself.
 */
export function sqliteUsageBatchWriter(
  sqlite: SqliteConnection,
): (rows: readonly UsageRow[], now: Date) => void {
  const insert = sqlite.prepare(
    `insert into "usage_events" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) ` +
      `values (${COLUMNS.map(() => '?').join(', ')}) on conflict ("request_id") do nothing`,
  );
  const charge = sqlite.prepare(
    `update "budgets" set "spent_nanos" = case when period_start = ${CURRENT_START} then spent_nanos + ? else ? end, ` +
      `"period_start" = ${CURRENT_START}, "updated_at" = ? where "scope" = ? and "target" = ?`,
  );
  const values = new Array<unknown>(COLUMNS.length);
  return sqlite.transaction((rows: readonly UsageRow[], now: Date) => {
    const inserted: UsageRow[] = [];
    for (const row of rows) {
      for (let i = 0; i < COLUMNS.length; i++) values[i] = row[COLUMNS[i] as keyof UsageRow] ?? null;
      if (insert.run(values).changes > 0) inserted.push(row);
    }
    const charges = chargesOf(inserted);
    if (charges.length === 0) return;
    const starts = currentPeriodStarts(now);
    const current = [starts.day, starts.week, starts.month];
    const updatedAt = now.toISOString();
    for (const { scope, target, nanos } of charges)
      charge.run(...current, nanos, nanos, ...current, updatedAt, scope, target);
  });
}
