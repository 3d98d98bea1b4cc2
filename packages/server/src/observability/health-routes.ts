import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../platform/db/index.js';

/**
 * Liveness says the process answers; readiness also checks the store, and turns false as soon as
 * the server starts shutting down (`draining`), while it still serves, so a load balancer stops
 * sending before the listener closes. Both are public.
 */
export const healthRoutes: FastifyPluginAsync<{ store: Store; draining?: () => boolean }> = async (
  app,
  { store, draining = () => false },
) => {
  const pub = { auth: false as const };
  app.get('/health/live', { config: pub, schema: { tags: ['health'] } }, async () => ({ live: true }));
  app.get('/health/ready', { config: pub, schema: { tags: ['health'] } }, async (_req, reply) => {
    if (draining()) return reply.code(503).header('retry-after', '1').send({ ready: false, draining: true });
    try {
      await sql`select 1`.execute(store.db);
      return { ready: true };
    } catch {
      return reply.code(503).header('retry-after', '1').send({ ready: false });
    }
  });
};
