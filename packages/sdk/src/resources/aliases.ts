import { aliasSchema } from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';

export type Alias = ReturnType<typeof aliasSchema.parse>;

export class Aliases {
  constructor(private readonly transport: Transport) {}

  /** Points `alias` (e.g. `production`) at a version, moving it if it pointed elsewhere. */
  set(name: string, alias: string, version: number): Promise<Alias> {
    return this.transport.json(
      { method: 'PUT', path: paths.alias(name, alias), json: { version } },
      aliasSchema,
    );
  }

  delete(name: string, alias: string): Promise<void> {
    return this.transport.empty({ method: 'DELETE', path: paths.alias(name, alias) });
  }
}
