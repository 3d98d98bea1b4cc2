import type { ApiKey, KeyLimits, Scope } from '@modelport/contracts';
import type { KeyRow } from './repo.js';

/** The public shape of a key row: never its hash, and the secret only at creation and rotation. */
export function toApiKey(row: KeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    project: row.project_id,
    scopes: JSON.parse(row.scopes) as Scope[],
    models: row.models === null ? null : (JSON.parse(row.models) as string[]),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    limits: row.limits === null ? null : (JSON.parse(row.limits) as KeyLimits),
    rotatedAt: row.rotated_at,
    previousPrefix: row.previous_prefix,
    previousValidUntil: row.previous_valid_until,
  };
}
