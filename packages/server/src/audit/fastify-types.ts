import type { AuditAction } from '@modelport/contracts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A management action: a 2xx answer is recorded in the audit log before it is sent. */
    audit?: AuditAction;
  }
}
