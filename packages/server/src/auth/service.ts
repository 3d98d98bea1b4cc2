import type { ApiKey, CreatedKey, CreateKeyRequest, KeyLimits, Scope } from '@modelport/contracts';
import { createKeyRequest } from '@modelport/contracts';
import { type Clock, systemClock } from '../platform/clock.js';
import { AppError } from '../platform/errors/index.js';

import { generateKey, hashesEqual, hashKey, parseKey } from './key-format.js';
import type { Principal } from './principal.js';
import type { KeyRepo, KeyRow } from './repo.js';

/** last_used_at is advisory: write it at most once a minute per key, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export function createKeyService(repo: KeyRepo, clock: Clock = systemClock) {
  const lastTouched = new Map<string, number>();

  function touch(row: KeyRow): void {
    const now = clock.now().getTime();
    if (now - (lastTouched.get(row.id) ?? 0) < TOUCH_INTERVAL_MS) return;
    lastTouched.set(row.id, now);
    repo.touch(row.id, new Date(now).toISOString()).catch(() => lastTouched.delete(row.id));
  }

  return {
    async authenticate(rawKey: string): Promise<Principal> {
      const parsed = parseKey(rawKey);
      if (!parsed) throw new AppError('invalid_api_key', 'The API key is malformed or mistyped.');
      const row = await repo.findByPrefix(parsed.prefix);
      if (!row || !hashesEqual(hashKey(rawKey), row.hash)) {
        throw new AppError('invalid_api_key', 'The API key is not known.');
      }
      if (row.revoked_at) throw new AppError('api_key_revoked', 'The API key was revoked.');
      if (row.expires_at && Date.parse(row.expires_at) <= clock.now().getTime()) {
        throw new AppError('api_key_expired', 'The API key has expired.');
      }
      touch(row);
      return {
        keyId: row.id,
        projectId: row.project_id,
        organizationId: row.organization_id,
        scopes: JSON.parse(row.scopes) as Scope[],
        models: row.models === null ? null : (JSON.parse(row.models) as string[]),
        limits: row.limits === null ? null : (JSON.parse(row.limits) as KeyLimits),
      };
    },

    /** Stores a key (given or generated) for a project; the secret is returned once. */
    async create(projectId: string, input: CreateKeyRequest, secret?: string): Promise<CreatedKey> {
      const req = createKeyRequest.parse(input);
      const key = secret ?? generateKey();
      const parsed = parseKey(key);
      if (!parsed) throw new AppError('invalid_api_key', 'The given key is not a well-formed Modelport key.');
      const row: KeyRow = {
        id: `key_${parsed.lookupId}`,
        project_id: projectId,
        name: req.name,
        prefix: parsed.prefix,
        hash: hashKey(key),
        scopes: JSON.stringify([...new Set(req.scopes)]),
        models: req.models === null ? null : JSON.stringify(req.models),
        created_at: clock.now().toISOString(),
        expires_at: req.expiresAt === null ? null : new Date(req.expiresAt).toISOString(),
        revoked_at: null,
        last_used_at: null,
        limits: req.limits === null ? null : JSON.stringify(req.limits),
      };
      await repo.insert(row);
      return { ...toApiKey(row), key };
    },

    async list(projectId: string): Promise<ApiKey[]> {
      return (await repo.list(projectId)).map(toApiKey);
    },

    async revoke(projectId: string, id: string): Promise<ApiKey> {
      const row = await repo.get(projectId, id);
      if (!row) throw new AppError('key_not_found', `No API key '${id}' in this project.`);
      await repo.revoke(projectId, id, clock.now().toISOString());
      const after = await repo.get(projectId, id);
      return toApiKey(after ?? row);
    },

    async exists(key: string): Promise<boolean> {
      return (await repo.findByHash(hashKey(key))) !== undefined;
    },
  };
}

export type KeyService = ReturnType<typeof createKeyService>;

function toApiKey(row: KeyRow): ApiKey {
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
  };
}
