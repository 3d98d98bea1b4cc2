import pg from 'pg';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database per test file on the local PostgreSQL. Null when there is none, so the caller
 * can skip visibly; under CI=true a missing server is an error, never a skip.
 */
export async function createPostgresDatabase(): Promise<TestDatabase | null> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI: ${String(err)}`);
    return null;
  }
  const name = `modelport_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
