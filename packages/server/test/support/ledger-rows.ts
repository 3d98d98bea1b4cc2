import { usageExportColumns } from '@modelport/contracts';
import type { TestServer } from './test-server.js';

export type LedgerRow = Record<(typeof usageExportColumns)[number], string>;

/** The project's ledger as the CSV export gives it, one object per row (fields stay strings). */
export async function ledgerRows(t: TestServer, key?: string): Promise<LedgerRow[]> {
  const res = await t.fetch('/api/v1/usage/export', key === undefined ? {} : { key });
  if (res.status !== 200) throw new Error(`export: ${res.status} ${await res.text()}`);
  const [header, ...lines] = (await res.text()).split('\r\n').filter((l) => l.length > 0);
  if (header !== usageExportColumns.join(',')) throw new Error(`unexpected CSV header: ${header}`);
  // The values written here hold no commas or quotes, so a plain split reads them.
  return lines.map(
    (line) => Object.fromEntries(line.split(',').map((v, i) => [usageExportColumns[i], v])) as LedgerRow,
  );
}

/** The one row of a request, waiting briefly for rows written after the response (client gone). */
export async function ledgerRowOf(
  t: TestServer,
  requestId: string,
  waitMs = 2_000,
): Promise<LedgerRow | undefined> {
  const until = Date.now() + waitMs;
  for (;;) {
    const rows = (await ledgerRows(t)).filter((r) => r.request_id === requestId);
    if (rows.length > 1) throw new Error(`${rows.length} rows for ${requestId}`);
    if (rows[0] || Date.now() > until) return rows[0];
    await new Promise((r) => setTimeout(r, 50));
  }
}
