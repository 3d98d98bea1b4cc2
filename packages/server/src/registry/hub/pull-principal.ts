import type { Principal } from '../../auth/index.js';
import type { PullRow } from './pull-repo.js';

/**
 * A pull registers its version in the name of the key that started it, within that key's project.
 * The key's model allow-list was checked when the pull was accepted.
 */
export function pullPrincipal(row: PullRow): Principal {
  return {
    keyId: row.key_id,
    projectId: row.project_id,
    organizationId: row.organization_id,
    scopes: ['manage'],
    models: null,
    limits: null,
  };
}
