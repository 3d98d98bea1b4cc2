import { type AuditEntry, type AuditList, type AuditQuery, auditListSchema } from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';

/** The audit log of management actions (needs `admin`; `project` needs `org_admin`). */
export class Audit {
  constructor(private readonly transport: Transport) {}

  /** One page, newest first; pass its `nextCursor` as `before` for the next. */
  list(query: AuditQuery = {}): Promise<AuditList> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) params.set(name, String(value));
    }
    const search = params.size > 0 ? `?${params}` : '';
    return this.transport.json({ method: 'GET', path: `${paths.audit()}${search}` }, auditListSchema);
  }

  /** Every entry matching `query`, page by page, newest first. */
  async *entries(query: Omit<AuditQuery, 'before'> = {}): AsyncGenerator<AuditEntry> {
    let before: string | undefined;
    do {
      const page = await this.list({ ...query, ...(before === undefined ? {} : { before }) });
      yield* page.data;
      before = page.nextCursor ?? undefined;
    } while (before !== undefined);
  }
}
