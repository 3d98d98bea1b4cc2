import type { AuditEntry, AuditList, AuditQuery } from '@modelport/contracts';
import { auditQuery } from '@modelport/contracts';
import type { Principal } from '../auth/index.js';
import type { Clock } from '../platform/index.js';
import type { ProjectService } from '../projects/index.js';
import type { NewAuditEntry } from './audit-entry.js';
import { auditId } from './audit-id.js';
import type { AuditRepo, AuditRow } from './repo.js';

export function createAuditService(deps: { repo: AuditRepo; projects: ProjectService; clock: Clock }) {
  const { repo, projects, clock } = deps;
  return {
    async record(entry: NewAuditEntry): Promise<void> {
      const now = clock.now();
      await repo.insert({
        id: auditId(now),
        project_id: entry.project,
        key_id: entry.key,
        action: entry.action,
        target: entry.target,
        detail: JSON.stringify(entry.detail),
        request_id: entry.requestId,
        created_at: now.toISOString(),
      });
    },

    /** The key's own project, or (org_admin) another of its organization; others are not found. */
    async list(p: Principal, input: AuditQuery): Promise<AuditList> {
      const query = auditQuery.parse(input);
      const project =
        query.project === undefined ? p.projectId : (await projects.requireVisible(p, query.project)).id;
      const rows = await repo.list({
        projectId: project,
        limit: query.limit + 1,
        before: query.before,
        action: query.action,
      });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return { data: page.map(toEntry), nextCursor: rows.length > query.limit && last ? last.id : null };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    project: row.project_id,
    key: row.key_id,
    action: row.action,
    target: row.target,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    requestId: row.request_id,
    createdAt: row.created_at,
  };
}
