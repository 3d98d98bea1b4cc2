import type { Scope } from '@modelport/contracts';
import type { Principal } from '../../auth/principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scopes that may call the route (`admin` always may); `false` for public routes. */
    auth?: { scopes: readonly Scope[] } | false;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
