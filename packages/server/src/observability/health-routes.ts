import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../platform/db/index.js';

/** Liveness says the process answers; readiness also checks the store. Both are public. */
export const healthRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  const pub = { auth: false as const };
  app.get('/health/live', { config: pub, schema: { tags: ['health'] } }, async () => ({ live: true }));
  app.get('/health/ready', { config: pub, schema: { tags: ['health'] } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(store.db);
      return { ready: true };
    } catch {
      return reply.code(503).header('retry-after', '1').send({ ready: false });
    }
  });
};
