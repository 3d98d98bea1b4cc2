import {
  type ApiKey,
  apiKeySchema,
  type CreatedKey,
  type CreateKeyRequest,
  createdKeySchema,
  keyListSchema,
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

  revoke(id: string): Promise<ApiKey> {
    return this.transport.json({ method: 'DELETE', path: paths.key(id) }, apiKeySchema);
  }
}
