import type { Principal } from '../../auth/index.js';
import type { JobRow } from './job-repo.js';

/**
 * Who a job acts as when it registers and deploys, also after a restart: its project, in the name
 * of the key that created it (audit entries name that key).
 */
export function jobPrincipal(row: Pick<JobRow, 'project_id' | 'created_by'>): Principal {
  return {
    keyId: row.created_by ?? 'system',
    projectId: row.project_id,
    organizationId: '',
    scopes: ['admin'],
    models: null,
    limits: null,
  };
}
