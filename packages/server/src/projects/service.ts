import { type CreateProjectRequest, createProjectRequest, type Project } from '@modelport/contracts';
import type { Principal } from '../auth/index.js';
import { isUniqueViolation } from '../platform/db/index.js';
import { AppError } from '../platform/errors/index.js';
import type { Clock } from '../platform/index.js';
import { newId } from '../platform/index.js';
import type { ProjectRepo, ProjectRow } from './repo.js';

export function createProjectService(repo: ProjectRepo, clock: Clock) {
  /**
   * A key sees its own project; an `org_admin` key every project of its organization. Anything
   * else answers exactly like a project that does not exist.
   */
  async function requireVisible(p: Principal, id: string): Promise<ProjectRow> {
    const mayLook = id === p.projectId || p.scopes.includes('org_admin');
    const row = mayLook ? await repo.find(p.organizationId, id) : undefined;
    if (!row) throw new AppError('project_not_found', `Project '${id}' does not exist.`);
    return row;
  }

  return {
    requireVisible,

    async get(p: Principal, id: string): Promise<Project> {
      return toProject(await requireVisible(p, id));
    },

    async list(p: Principal): Promise<Project[]> {
      return (await repo.list(p.organizationId)).map(toProject);
    },

    async create(p: Principal, input: CreateProjectRequest): Promise<Project> {
      const req = createProjectRequest.parse(input);
      const row: ProjectRow = {
        id: newId('prj'),
        organization_id: p.organizationId,
        name: req.name,
        created_at: clock.now().toISOString(),
      };
      try {
        await repo.insert(row);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new AppError('project_already_exists', `Project '${req.name}' already exists.`);
        }
        throw err;
      }
      return toProject(row);
    },
  };
}

export type ProjectService = ReturnType<typeof createProjectService>;

function toProject(row: ProjectRow): Project {
  return { id: row.id, name: row.name, organization: row.organization_id, createdAt: row.created_at };
}
