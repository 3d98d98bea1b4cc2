import type {
  ApiKey,
  CreatedKey,
  CreateKeyRequest,
  KeyLimits,
  RotateKeyRequest,
  Scope,
} from '@modelport/contracts';
import { createKeyRequest, rotateKeyRequest } from '@modelport/contracts';
import { AppError } from '../platform/errors/index.js';
import { type Clock, systemClock } from '../platform/index.js';
import type { KeyCache } from './key-cache.js';
import { generateKey, hashesEqual, hashKey, type ParsedKey, parseKey } from './key-format.js';
import { assertMayGrant } from './key-grants.js';
import { toApiKey } from './key-view.js';
import type { Principal } from './principal.js';
import type { KeyRepo, KeyRow, KeyWithTenant } from './repo.js';

/** last_used_at is advisory: write it at most once a minute per key, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface CreateKeyOptions {
  /** Install this key instead of generating one (the configured admin key). */
  secret?: string;
  /** The caller, whose own scopes bound what it may grant. */
  by?: Principal;
}

export interface KeyServiceOptions {
  /** Only for a store no other process writes (SQLite): see `KeyCache`. */
  cache?: KeyCache;
}

export function createKeyService(repo: KeyRepo, clock: Clock = systemClock, options: KeyServiceOptions = {}) {
  const lastTouched = new Map<string, number>();
  const principals = new WeakMap<KeyWithTenant, Principal>();
  const cache = options.cache;

  async function findByPrefix(prefix: string): Promise<KeyWithTenant | undefined> {
    const cached = cache?.get(prefix);
    if (cached) return cached;
    const row = await repo.findByPrefix(prefix);
    if (row && cache) cache.set(prefix, row);
    return row;
  }

  function touch(row: KeyRow): void {
    const now = clock.now().getTime();
    if (now - (lastTouched.get(row.id) ?? 0) < TOUCH_INTERVAL_MS) return;
    lastTouched.set(row.id, now);
    repo.touch(row.id, new Date(now).toISOString()).catch(() => lastTouched.delete(row.id));
  }

  /**
   * Read on every request from a shared store, so a revocation holds at once on every replica; from
   * the cache when this process is the store's only writer. Expiry and grace are checked each time.
   */
  async function verify(rawKey: string, parsed: ParsedKey): Promise<KeyWithTenant> {
    const row = await findByPrefix(parsed.prefix);
    const hash = hashKey(rawKey);
    const isCurrent = row?.prefix === parsed.prefix && hashesEqual(hash, row.hash);
    const isPrevious =
      !isCurrent && row?.previous_prefix === parsed.prefix && hashesEqual(hash, row.previous_hash ?? '');
    if (!row || !(isCurrent || isPrevious))
      throw new AppError('invalid_api_key', 'The API key is not known.');
    const now = clock.now().getTime();
    if (row.revoked_at) throw new AppError('api_key_revoked', 'The API key was revoked.');
    if (isPrevious && !(Date.parse(row.previous_valid_until ?? '') > now)) {
      throw new AppError('api_key_rotated', 'The API key was rotated; this secret is no longer valid.');
    }
    if (row.expires_at && Date.parse(row.expires_at) <= now) {
      throw new AppError('api_key_expired', 'The API key has expired.');
    }
    return row;
  }

  /**
   * A cached row (see `KeyCache`) is the same object until the key changes, so its principal is
   * built once and shared by its requests (and per-key state keyed by it stays warm).
   */
  function principalOf(row: KeyWithTenant): Principal {
    let principal = principals.get(row);
    if (!principal) {
      principal = {
        keyId: row.id,
        projectId: row.project_id,
        organizationId: row.organization_id,
        scopes: JSON.parse(row.scopes) as Scope[],
        models: row.models === null ? null : (JSON.parse(row.models) as string[]),
        limits: row.limits === null ? null : (JSON.parse(row.limits) as KeyLimits),
      };
      principals.set(row, principal);
    }
    return principal;
  }

  async function requireKey(caller: Principal, id: string): Promise<KeyRow> {
    const row = await repo.get(caller.projectId, id);
    if (!row) throw new AppError('key_not_found', `No API key '${id}' in this project.`);
    return row;
  }

  return {
    async authenticate(rawKey: string): Promise<Principal> {
      const parsed = parseKey(rawKey);
      if (!parsed) throw new AppError('invalid_api_key', 'The API key is malformed or mistyped.');
      const row = await verify(rawKey, parsed);
      touch(row);
      return principalOf(row);
    },

    /** Stores a key (given or generated) for a project; the secret is returned once. */
    async create(
      projectId: string,
      input: CreateKeyRequest,
      options: CreateKeyOptions = {},
    ): Promise<CreatedKey> {
      const req = createKeyRequest.parse(input);
      if (options.by) assertMayGrant(options.by, req.scopes);
      const key = options.secret ?? generateKey();
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
        previous_prefix: null,
        previous_hash: null,
        previous_valid_until: null,
        rotated_at: null,
      };
      await repo.insert(row);
      return { ...toApiKey(row), key };
    },

    async list(projectId: string): Promise<ApiKey[]> {
      return (await repo.list(projectId)).map(toApiKey);
    },

    async get(caller: Principal, id: string): Promise<ApiKey> {
      return toApiKey(await requireKey(caller, id));
    },

    /** The caller's own key, so a client can tell what it may do before trying. */
    async self(caller: Principal): Promise<ApiKey> {
      return toApiKey(await requireKey(caller, caller.keyId));
    },

    async revoke(caller: Principal, id: string): Promise<ApiKey> {
      const row = await requireKey(caller, id);
      assertMayGrant(caller, JSON.parse(row.scopes) as Scope[]);
      await repo.revoke(caller.projectId, id, clock.now().toISOString());
      cache?.clear();
      return toApiKey((await repo.get(caller.projectId, id)) ?? row);
    },

    /**
     * A new secret under the same id (limits and usage stay attached); the old one keeps working for
     * the grace period. Only the last replaced secret is kept: rotating again ends the earlier one.
     */
    async rotate(caller: Principal, id: string, input: RotateKeyRequest): Promise<CreatedKey> {
      const { gracePeriodSeconds } = rotateKeyRequest.parse(input);
      const row = await requireKey(caller, id);
      assertMayGrant(caller, JSON.parse(row.scopes) as Scope[]);
      if (row.revoked_at) throw new AppError('key_revoked', `API key '${id}' was revoked.`);
      const key = generateKey();
      const parsed = parseKey(key) as ParsedKey;
      const now = clock.now();
      const changes = {
        prefix: parsed.prefix,
        hash: hashKey(key),
        previous_prefix: row.prefix,
        previous_hash: row.hash,
        previous_valid_until: new Date(now.getTime() + gracePeriodSeconds * 1000).toISOString(),
        rotated_at: now.toISOString(),
      };
      const rotated = await repo.rotate(row.id, row.prefix, changes);
      cache?.clear();
      if (!rotated) {
        const after = await repo.get(caller.projectId, id);
        if (after?.revoked_at) throw new AppError('key_revoked', `API key '${id}' was revoked.`);
        throw new AppError('key_rotation_conflict', `API key '${id}' changed while rotating; retry.`);
      }
      return { ...toApiKey({ ...row, ...changes }), key };
    },

    /** Whether the store knows this key, rotated or revoked alike (its id comes from the key). */
    async exists(key: string): Promise<boolean> {
      const parsed = parseKey(key);
      return parsed !== null && (await repo.findById(`key_${parsed.lookupId}`)) !== undefined;
    },

    /** Adds scopes a stored key lacks (the configured admin key gains `org_admin`). */
    async ensureScopes(key: string, scopes: readonly Scope[]): Promise<void> {
      const parsed = parseKey(key);
      const row = parsed ? await repo.findById(`key_${parsed.lookupId}`) : undefined;
      if (!row) return;
      const held = JSON.parse(row.scopes) as Scope[];
      if (scopes.every((s) => held.includes(s))) return;
      await repo.setScopes(row.id, JSON.stringify([...new Set([...held, ...scopes])]));
      cache?.clear();
    },
  };
}

export type KeyService = ReturnType<typeof createKeyService>;
