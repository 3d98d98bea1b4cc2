import type { Principal } from '../auth/index.js';

/**
 * Who the server acts as when it restores deployments or resumes rollouts at start: an admin of
 * the deployment's project, under the key that started the work when there is one.
 */
export function systemPrincipal(projectId: string, keyId = 'system'): Principal {
  return { keyId, projectId, organizationId: '', scopes: ['admin'], models: null, limits: null };
}
