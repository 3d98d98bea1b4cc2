import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../platform/db/index.js';

export type AuditRow = Selectable<AuditLogTable>;

export interface AuditPage {
  projectId: string;
  limit: number;
  /** Only entries with a smaller (older) id. */
  before?: string | undefined;
  action?: string | undefined;
}

export function createAuditRepo(db: Kysely<Database>) {
  return {
    async insert(row: AuditRow): Promise<void> {
      await db.insertInto('audit_log').values(row).execute();
    },
    /** Newest first: ids grow with time (see audit-id.ts), so the id is both the order and the cursor. */
    list(page: AuditPage): Promise<AuditRow[]> {
      let query = db.selectFrom('audit_log').selectAll().where('project_id', '=', page.projectId);
      if (page.before !== undefined) query = query.where('id', '<', page.before);
      if (page.action !== undefined) query = query.where('action', '=', page.action);
      return query.orderBy('id', 'desc').limit(page.limit).execute();
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
