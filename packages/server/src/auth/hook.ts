import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors/index.js';
import { hasScope } from './principal.js';
import type { KeyService } from './service.js';

export interface AuthHookOptions {
  keys: KeyService;
  /** URL prefixes served without a key (API docs, health). */
  publicPrefixes: readonly string[];
}

/** Every route needs `Authorization: Bearer <key>` unless it declares `config.auth: false`. */
export function installAuth(app: FastifyInstance, opts: AuthHookOptions): void {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    if (opts.publicPrefixes.some((p) => route.url.startsWith(p)))
      route.config = { ...route.config, auth: false };
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
    const scopes = auth?.scopes ?? [];
    if (scopes.length > 0 && !hasScope(principal, scopes)) {
      throw new AppError('insufficient_scope', `This route needs one of the scopes: ${scopes.join(', ')}.`);
    }
    request.principal = principal;
  });
}
