import type { AuditAction, Scope } from '@modelport/contracts';
import type { Principal } from '../../auth/principal.js';
import type { RequestMeter } from '../../usage/metering/request-meter.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scopes that may call the route (`admin` may unless it needs `org_admin`); `false` for public routes. */
    auth?: { scopes: readonly Scope[] } | false;
    /** A management action: a 2xx answer is recorded in the audit log before it is sent. */
    audit?: AuditAction;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The request's usage meter; set for authenticated requests. */
    usage: RequestMeter | null;
    /** The catalog code of the error answered, for the usage ledger. */
    errorCode: string | null;
  }
}
