import type { Scope } from '@modelport/contracts';
import type { Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Scopes that may call the route (`admin` may unless it needs `org_admin`); `false` for public
     * routes. A route that declares nothing is closed to every key.
     */
    auth?: { scopes: readonly Scope[] } | false;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
