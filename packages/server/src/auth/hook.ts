import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors/index.js';
import { hasScope } from './principal.js';
import { type RouteAccessEntry, routeAccessOf } from './route-access.js';
import type { KeyService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route's access rule as registered, for audits of the route table. */
    routeAccess: RouteAccessEntry[];
  }
}

export interface AuthHookOptions {
  keys: KeyService;
  /** URL prefixes served without a key (API docs, health). */
  publicPrefixes: readonly string[];
}

/**
 * Every route needs `Authorization: Bearer <key>` unless it declares `config.auth: false`, and a
 * key with one of the scopes it declares. A route that declares no `auth` is closed to every key
 * (403), so a forgotten declaration never opens a route.
 */
export function installAuth(app: FastifyInstance, opts: AuthHookOptions): void {
  app.decorateRequest('principal', null);
  const table: RouteAccessEntry[] = [];
  app.decorate('routeAccess', table);
  app.addHook('onRoute', (route) => {
    if (opts.publicPrefixes.some((p) => route.url.startsWith(p)))
      route.config = { ...route.config, auth: false };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) table.push({ method, url: route.url, access: routeAccessOf(route.config) });
  });
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const auth = request.routeOptions.config.auth;
    if (auth === false) return;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1])
      throw new AppError('missing_api_key', 'Send the API key as `Authorization: Bearer <key>`.');
    const principal = await opts.keys.authenticate(match[1]);
    if (auth === undefined) throw new AppError('insufficient_scope', 'This route declares no access rule.');
    const scopes = auth.scopes;
    if (scopes.length > 0 && !hasScope(principal, scopes)) {
      throw new AppError('insufficient_scope', `This route needs one of the scopes: ${scopes.join(', ')}.`);
    }
    request.principal = principal;
  });
}
