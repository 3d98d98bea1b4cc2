import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { currentPeriodStarts } from './budget-periods.js';
import type { UsageRow } from './usage-row.js';

/** 17 columns a row: 50 rows stay far below SQLite's bound-parameter limit. */
const ROWS_PER_INSERT = 50;

/**
 * One transaction (one fsync) for a whole batch: its rows, and what they cost added to the budgets
 * of their keys and projects. A row already present (a batch retried after a commit whose answer
 * was lost, e.g. the connection cut after COMMIT) is kept as it was and charged no second time: only
 * the rows this transaction inserted are charged, so retries never duplicate a request or its cost.
 */
export async function writeUsageBatch(
  db: Kysely<Database>,
  rows: readonly UsageRow[],
  now: Date,
): Promise<void> {
  const starts = currentPeriodStarts(now);
  const updatedAt = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const written = await trx
        .insertInto('usage_events')
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .onConflict((oc) => oc.column('request_id').doNothing())
        .returning('request_id')
        .execute();
      for (const w of written) inserted.add(w.request_id);
    }
    for (const charge of chargesOf(rows.filter((r) => inserted.has(r.request_id)))) {
      // The period's start as of now; a budget whose stored start is older begins a new period.
      const current = sql<string>`case period when 'day' then ${starts.day} when 'week' then ${starts.week} when 'month' then ${starts.month} else period_start end`;
      await trx
        .updateTable('budgets')
        .set({
          spent_nanos: sql<number>`case when period_start = ${current} then spent_nanos + ${charge.nanos} else ${charge.nanos} end`,
          period_start: current,
          updated_at: updatedAt,
        })
        .where('scope', '=', charge.scope)
        .where('target', '=', charge.target)
        .execute();
    }
  });
}

interface Charge {
  scope: 'key' | 'project';
  target: string;
  nanos: number;
}

/** What the rows cost, summed per key and per project (rows that cost nothing charge nothing). */
export function chargesOf(rows: readonly UsageRow[]): Charge[] {
  const byTarget = new Map<string, Charge>();
  const add = (scope: Charge['scope'], target: string, nanos: number) => {
    const id = `${scope}:${target}`;
    const charge = byTarget.get(id);
    if (charge) charge.nanos += nanos;
    else byTarget.set(id, { scope, target, nanos });
  };
  for (const row of rows) {
    if (row.cost_nanos <= 0) continue;
    add('key', row.key_id, row.cost_nanos);
    add('project', row.project_id, row.cost_nanos);
  }
  return [...byTarget.values()];
}
