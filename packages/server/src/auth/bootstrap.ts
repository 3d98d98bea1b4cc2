import type { Scope } from '@modelport/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/index.js';
import type { Clock } from '../platform/index.js';
import { newId } from '../platform/index.js';
import type { KeyService } from './service.js';

const ADMIN_SCOPES: Scope[] = ['admin', 'org_admin'];

export interface Tenant {
  organizationId: string;
  projectId: string;
}

export interface BootstrapResult extends Tenant {
  /** Set only when this start created the admin key and must show it once. */
  createdAdminKey: string | null;
}

/**
 * First start with an empty store: a default organization and project, and an admin key, either the
 * configured one or a fresh one shown once. A configured key unknown to the store is added as admin
 * of the organization; a known one keeps its row (a revocation or rotation of it stands).
 */
export async function bootstrapTenancy(
  db: Kysely<Database>,
  keys: KeyService,
  clock: Clock,
  adminKey: string | undefined,
): Promise<BootstrapResult> {
  const tenant = await ensureDefaultProject(db, clock);
  if (adminKey) {
    if (await keys.exists(adminKey)) await keys.ensureScopes(adminKey, ADMIN_SCOPES);
    else
      await keys.create(
        tenant.projectId,
        { name: 'admin (configured)', scopes: ADMIN_SCOPES },
        { secret: adminKey },
      );
    return { ...tenant, createdAdminKey: null };
  }
  const anyKey = await db.selectFrom('api_keys').select('id').limit(1).executeTakeFirst();
  if (anyKey) return { ...tenant, createdAdminKey: null };
  const created = await keys.create(tenant.projectId, { name: 'admin', scopes: ADMIN_SCOPES });
  return { ...tenant, createdAdminKey: created.key };
}

async function ensureDefaultProject(db: Kysely<Database>, clock: Clock): Promise<Tenant> {
  const existing = await db
    .selectFrom('projects')
    .select(['id', 'organization_id'])
    .orderBy('created_at', 'asc')
    .limit(1)
    .executeTakeFirst();
  if (existing) return { organizationId: existing.organization_id, projectId: existing.id };
  const now = clock.now().toISOString();
  const organizationId = newId('org');
  const projectId = newId('prj');
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('organizations')
      .values({ id: organizationId, name: 'default', created_at: now })
      .execute();
    await trx
      .insertInto('projects')
      .values({ id: projectId, organization_id: organizationId, name: 'default', created_at: now })
      .execute();
  });
  return { organizationId, projectId };
}
