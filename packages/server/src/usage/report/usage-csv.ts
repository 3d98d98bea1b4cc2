import { usageExportColumns } from '@modelport/contracts';
import { fromNanos } from '../money.js';
import type { UsageEventRow, UsageFilter, UsageReportRepo } from './usage-report-repo.js';

const PAGE_ROWS = 1_000;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function field(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function line(row: UsageEventRow): string {
  const values: Record<(typeof usageExportColumns)[number], string | number | null> = {
    request_id: row.request_id,
    client_request_id: row.client_request_id,
    finished_at: row.finished_at,
    started_at: row.started_at,
    project: row.project_id,
    key: row.key_id,
    model: row.model,
    deployment: row.deployment,
    version: row.version,
    endpoint: row.endpoint,
    status: row.status,
    error_code: row.error_code,
    tokens_in: row.tokens_in,
    tokens_out: row.tokens_out,
    queue_ms: row.queue_ms,
    compute_ms: row.compute_ms,
    cost: fromNanos(Number(row.cost_nanos)),
  };
  return `${usageExportColumns.map((c) => field(values[c])).join(',')}\r\n`;
}

/** The ledger as CSV, read page by page so an export of any size holds one page in memory. */
export async function* usageCsv(repo: UsageReportRepo, filter: UsageFilter): AsyncGenerator<string> {
  yield `${usageExportColumns.join(',')}\r\n`;
  let after: { finishedAt: string; requestId: string } | undefined;
  for (;;) {
    const rows = await repo.page(filter, after, PAGE_ROWS);
    if (rows.length === 0) return;
    yield rows.map(line).join('');
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE_ROWS) return;
    after = { finishedAt: last.finished_at, requestId: last.request_id };
  }
}
