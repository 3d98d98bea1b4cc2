import { type UsageQuery, type UsageReport, usageReportSchema } from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';

function search(query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
  return params.size > 0 ? `?${params}` : '';
}

/** The usage ledger of the key's project (needs `manage` or `admin`). */
export class Usage {
  constructor(private readonly transport: Transport) {}

  /** Requests, errors, tokens, compute and cost, summed by `groupBy` (project, key, model, version, day: UTC). */
  report(query: UsageQuery = {}): Promise<UsageReport> {
    return this.transport.json(
      {
        method: 'GET',
        path: `${paths.usage()}${search({ ...query, limit: query.limit === undefined ? undefined : String(query.limit) })}`,
      },
      usageReportSchema,
    );
  }

  /** Every ledger row in `[from, to)` as CSV text, oldest first. */
  async exportCsv(query: { from?: string; to?: string } = {}): Promise<string> {
    const idle = this.transport.newIdleTimeout();
    try {
      const res = await this.transport.send(
        { method: 'GET', path: `${paths.usageExport()}${search(query)}` },
        idle,
      );
      return await res.text();
    } finally {
      idle.clear();
    }
  }
}
