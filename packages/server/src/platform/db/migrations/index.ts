import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001-initial.js';

/** Ordered by name; never edit a released migration, add the next one. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
