import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/index.js';
import { timeOrderedId } from '../src/platform/index.js';
import { periodStart } from '../src/usage/ledger/budget-periods.js';
import { openLedgerConnection } from '../src/usage/ledger/ledger-connection.js';
import { sqliteUsageBatchWriter } from '../src/usage/ledger/sqlite-usage-batch.js';
import type { UsageRow } from '../src/usage/ledger/usage-row.js';

const NOW = new Date('2026-12-05T12:00:00Z');

function row(requestId: string, costNanos: number, overrides: Partial<UsageRow> = {}): UsageRow {
  return {
    request_id: requestId,
    client_request_id: null,
    project_id: 'prj_a',
    key_id: 'key_a',
    model: 'adder',
    deployment: 'adder',
    version: 1,
    endpoint: 'oip.infer',
    status: 200,
    error_code: null,
    tokens_in: 3,
    tokens_out: 4,
    queue_ms: 0.25,
    compute_ms: 1.5,
    cost_nanos: costNanos,
    started_at: NOW.toISOString(),
    finished_at: NOW.toISOString(),
    ...overrides,
  };
}

describe('SQLite ledger batches on prepared statements', () => {
  let dir: string;
  let file: string;
  let sqlite: SQLite.Database;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ledger-batch-'));
    file = path.join(dir, 'modelport.db');
    await (await openDatabase({ sqlitePath: file })).close();
    sqlite = openLedgerConnection(file, 'NORMAL', 100);
    const budget = sqlite.prepare(
      `insert into budgets (id, project_id, scope, target, limit_nanos, period, period_start, spent_nanos, updated_at)
       values (?, 'prj_a', ?, ?, 1000000, ?, ?, ?, '2026-01-01T00:00:00.000Z')`,
    );
    budget.run('bud_key', 'key', 'key_a', 'day', periodStart('day', NOW), 100);
    // A month budget whose stored period is an old one: the first charge starts a new period.
    budget.run('bud_prj', 'project', 'prj_a', 'month', '2026-10-01T00:00:00.000Z', 5000);
  });
  afterEach(async () => {
    sqlite.close();
    await rm(dir, { recursive: true, force: true });
  });

  const spent = (id: string) =>
    sqlite.prepare('select spent_nanos, period_start from budgets where id = ?').get(id) as {
      spent_nanos: number;
      period_start: string;
    };

  it('writes every column, charges key and project budgets by period, and a retried batch once', () => {
    const write = sqliteUsageBatchWriter(sqlite);
    const rows = [row('req_1', 30, { client_request_id: 'mine', error_code: 'x' }), row('req_2', 12)];
    write(rows, NOW);
    write(rows, NOW); // a retry after a commit whose answer was lost
    write([row('req_3', 0)], NOW); // costs nothing, charges nothing

    const stored = sqlite.prepare('select * from usage_events order by request_id').all();
    expect(stored).toEqual([...rows, row('req_3', 0)]);
    expect(spent('bud_key')).toEqual({ spent_nanos: 142, period_start: periodStart('day', NOW) });
    expect(spent('bud_prj')).toEqual({ spent_nanos: 42, period_start: periodStart('month', NOW) });
  });

  it('rolls back the whole batch when a row cannot be written', () => {
    const write = sqliteUsageBatchWriter(sqlite);
    const bad = { ...row('req_bad', 7), project_id: null } as unknown as UsageRow;
    expect(() => write([row('req_ok', 7), bad], NOW)).toThrow(/NOT NULL/);
    expect(sqlite.prepare('select count(*) as n from usage_events').get()).toEqual({ n: 0 });
    expect(spent('bud_key').spent_nanos).toBe(100);
  });
});

describe('time-ordered ids', () => {
  it('sort as text in the order they were made, keep the length of random ids and do not repeat', async () => {
    const first = Array.from({ length: 1000 }, () => timeOrderedId('req'));
    await new Promise((r) => setTimeout(r, 5));
    const later = timeOrderedId('req');
    expect(new Set(first).size).toBe(first.length);
    for (const id of [...first, later]) expect(id).toMatch(/^req_[0-9A-Za-z]{20}$/);
    expect(first.every((id) => id < later)).toBe(true);
    expect(first.map((id) => id.slice(0, 12)).sort()).toEqual(first.map((id) => id.slice(0, 12)));
  });
});
