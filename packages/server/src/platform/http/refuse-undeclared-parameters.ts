import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

const noQuery = z.strictObject({});
const noBody = z.strictObject({}).nullish();

/**
 * Management routes (`/api/v1/…`) refuse what they do not read, as their strict bodies do: a query
 * parameter of a route that declares none (`GET /api/v1/deployments?model=x` would otherwise list
 * every deployment), and a body sent to a DELETE that takes none (`{"force":true}`). Installed
 * before the routes are registered. The foreign protocols (`/v1/…`, `/v2/…`) keep their own rules.
 */
export function refuseUndeclaredParameters(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/')) return;
    route.schema ??= {};
    route.schema.querystring ??= noQuery;
    if ([route.method].flat().includes('DELETE')) route.schema.body ??= noBody;
  });
}
