import {
  type ApiKey,
  apiKeySchema,
  type CreatedKey,
  type CreateKeyRequest,
  createdKeySchema,
  keyListSchema,
  type RotateKeyRequest,
} from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';

/** Key management; every call needs a key with the `admin` scope. */
export class Keys {
  constructor(private readonly transport: Transport) {}

  /** The returned `key` is the secret, shown this once. */
  create(input: CreateKeyRequest = {}): Promise<CreatedKey> {
    return this.transport.json({ method: 'POST', path: paths.keys(), json: input }, createdKeySchema);
  }

  async list(): Promise<ApiKey[]> {
    return (await this.transport.json({ method: 'GET', path: paths.keys() }, keyListSchema)).data;
  }

  get(id: string): Promise<ApiKey> {
    return this.transport.json({ method: 'GET', path: paths.key(id) }, apiKeySchema);
  }

  revoke(id: string): Promise<ApiKey> {
    return this.transport.json({ method: 'DELETE', path: paths.key(id) }, apiKeySchema);
  }

  /**
   * A new secret (the returned `key`, shown this once) under the same id; the old secret keeps
   * working for `gracePeriodSeconds` (default one day, 0 = stop at once), then gets `api_key_rotated`.
   */
  rotate(id: string, input: RotateKeyRequest = {}): Promise<CreatedKey> {
    return this.transport.json({ method: 'POST', path: paths.rotateKey(id), json: input }, createdKeySchema);
  }
}
