import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Distinct SQL texts kept prepared; queries are parameterized, so the set is small. */
const MAX_STATEMENTS = 500;

/**
 * A better-sqlite3 connection for Kysely that prepares each SQL text once: Kysely's SQLite driver
 * prepares on every query, which costs more than running a small indexed one.
 * Streaming queries (`iterate`) get a statement of their own, since a cached one could be busy.
 */
export function withCachedStatements(connection: SqliteConnection): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => connection.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = connection.prepare(sql);
        if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      const cached = statement;
      return {
        reader: cached.reader,
        all: (parameters) => cached.all(parameters),
        run: (parameters) => cached.run(parameters),
        iterate: (parameters) => connection.prepare(sql).iterate(parameters),
      };
    },
  };
}
