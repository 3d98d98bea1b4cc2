import type { Scope } from '@modelport/contracts';
import type { RouteOptions } from 'fastify';

/** Who may call a route: anyone, a key with one of the scopes, or nobody (no rule declared). */
export type RouteAccess = 'public' | { scopes: readonly Scope[] } | 'closed';

export interface RouteAccessEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

/** A route's rule from its `config.auth`; an undeclared one is closed rather than open to any key. */
export function routeAccessOf(config: RouteOptions['config']): RouteAccess {
  const auth = (config as { auth?: false | { scopes: readonly Scope[] } } | undefined)?.auth;
  if (auth === false) return 'public';
  return auth ?? 'closed';
}
