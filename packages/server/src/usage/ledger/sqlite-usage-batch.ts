import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import { currentPeriodStarts } from './budget-periods.js';
import type { UsageRow } from './usage-row.js';
import { chargesOf } from './write-usage-batch.js';

/** The period's start as of now (its three values bound in order); other periods keep theirs. */
const CURRENT_START = `case period when 'day' then ? when 'week' then ? when 'month' then ? else period_start end`;

/**
 * `writeUsageBatch` for the SQLite writer thread, on prepared statements: the same transaction
 * (rows inserted once, a retried row charged no second time, budgets charged by period) without
 * building and compiling the queries again for each commit, which cost the thread four times
 * the SQLite work itself.
 */
export function sqliteUsageBatchWriter(sqlite: SqliteConnection): (rows: readonly UsageRow[], now: Date) => void {
  const inserts = new Map<string, Statement>();
  const insertOf = (columns: readonly string[]) => {
    const signature = columns.join(',');
    let statement = inserts.get(signature);
    if (!statement) {
      const names = columns.map((c) => `"${c}"`).join(', ');
      const values = columns.map(() => '?').join(', ');
      statement = sqlite.prepare(
        `insert into "usage_events" (${names}) values (${values}) on conflict ("request_id") do nothing`,
      );
      inserts.set(signature, statement);
    }
    return statement;
  };
  const charge = sqlite.prepare(
    `update "budgets" set "spent_nanos" = case when period_start = ${CURRENT_START} then spent_nanos + ? else ? end, ` +
      `"period_start" = ${CURRENT_START}, "updated_at" = ? where "scope" = ? and "target" = ?`,
  );
  return sqlite.transaction((rows: readonly UsageRow[], now: Date) => {
    const inserted: UsageRow[] = [];
    for (const row of rows) {
      const columns = Object.keys(row).filter((c) => row[c as keyof UsageRow] !== undefined);
      const values = columns.map((c) => row[c as keyof UsageRow]);
      if (insertOf(columns).run(values).changes > 0) inserted.push(row);
    }
    const starts = currentPeriodStarts(now);
    const current = [starts.day, starts.week, starts.month];
    const updatedAt = now.toISOString();
    for (const { scope, target, nanos } of chargesOf(inserted))
      charge.run(...current, nanos, nanos, ...current, updatedAt, scope, target);
  });
}
