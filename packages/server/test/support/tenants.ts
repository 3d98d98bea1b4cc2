import type { CreateKeyRequest, Scope } from '@modelport/contracts';
import type { TestServer } from './test-server.js';

const json = { 'content-type': 'application/json' };

export interface TestProject {
  id: string;
  name: string;
  organization: string;
}

/** A project in the admin key's organization, created through the API. */
export async function createProject(t: TestServer, name: string, key = t.adminKey): Promise<TestProject> {
  const res = await t.fetch('/api/v1/projects', {
    method: 'POST',
    key,
    headers: json,
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`createProject: ${res.status} ${await res.text()}`);
  return (await res.json()) as TestProject;
}

/** A key minted into a project by the organization admin; returns the secret and the key's id. */
export async function projectKey(
  t: TestServer,
  projectId: string,
  scopes: Scope[],
  extra: Omit<CreateKeyRequest, 'scopes'> = {},
): Promise<{ key: string; id: string }> {
  const res = await t.fetch(`/api/v1/projects/${projectId}/keys`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ ...extra, scopes }),
  });
  if (res.status !== 201) throw new Error(`projectKey: ${res.status} ${await res.text()}`);
  return (await res.json()) as { key: string; id: string };
}

/** Another organization with one project and an org_admin key, written straight to the store. */
export async function otherOrganization(t: TestServer): Promise<{ projectId: string; key: string }> {
  const { store, keys } = t.server.platform;
  const now = new Date().toISOString();
  const suffix = Math.random().toString(36).slice(2, 10);
  await store.db
    .insertInto('organizations')
    .values({ id: `org_other${suffix}`, name: 'other', created_at: now })
    .execute();
  await store.db
    .insertInto('projects')
    .values({
      id: `prj_other${suffix}`,
      organization_id: `org_other${suffix}`,
      name: 'default',
      created_at: now,
    })
    .execute();
  const created = await keys.create(`prj_other${suffix}`, {
    name: 'other admin',
    scopes: ['admin', 'org_admin'],
  });
  return { projectId: `prj_other${suffix}`, key: created.key };
}
