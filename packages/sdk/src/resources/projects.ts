import {
  type CreatedKey,
  type CreateKeyRequest,
  createdKeySchema,
  type Project,
  projectListSchema,
  projectSchema,
} from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';

/** Projects of the key's organization; all but `get` of the key's own project need `org_admin`. */
export class Projects {
  constructor(private readonly transport: Transport) {}

  create(name: string): Promise<Project> {
    return this.transport.json({ method: 'POST', path: paths.projects(), json: { name } }, projectSchema);
  }

  async list(): Promise<Project[]> {
    return (await this.transport.json({ method: 'GET', path: paths.projects() }, projectListSchema)).data;
  }

  get(id: string): Promise<Project> {
    return this.transport.json({ method: 'GET', path: paths.project(id) }, projectSchema);
  }

  /** A key in another project of the organization; the returned `key` is shown this once. */
  createKey(projectId: string, input: CreateKeyRequest = {}): Promise<CreatedKey> {
    return this.transport.json(
      { method: 'POST', path: paths.projectKeys(projectId), json: input },
      createdKeySchema,
    );
  }
}
