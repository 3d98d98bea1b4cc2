import type { Kysely, Selectable } from 'kysely';
import type { Database, ProjectsTable } from '../platform/db/index.js';

export type ProjectRow = Selectable<ProjectsTable>;

export function createProjectRepo(db: Kysely<Database>) {
  return {
    /** Only within the organization: another organization's project is never found. */
    find(organizationId: string, id: string): Promise<ProjectRow | undefined> {
      return db
        .selectFrom('projects')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    list(organizationId: string): Promise<ProjectRow[]> {
      return db
        .selectFrom('projects')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
    },
    async insert(row: ProjectRow): Promise<void> {
      await db.insertInto('projects').values(row).execute();
    },
  };
}

export type ProjectRepo = ReturnType<typeof createProjectRepo>;
