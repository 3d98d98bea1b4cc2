import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/index.js';
import { auditEntryFor } from './audit-entry.js';
import type { AuditService } from './service.js';

/**
 * Routes that declare `config.audit` get one entry per successful (2xx) answer, written before the
 * answer leaves: a client that saw success can rely on the entry. If the write fails the caller gets
 * a 500 (the action itself may have happened; the entry is in the error log).
 */
export function installAudit(app: FastifyInstance, audit: AuditService): void {
  // The route's result before serialization; a 204 has none.
  const results = new WeakMap<FastifyRequest, unknown>();
  app.addHook('preSerialization', async (request, _reply, payload) => {
    if (request.routeOptions.config.audit) results.set(request, payload);
    return payload;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const action = request.routeOptions.config.audit;
    const principal = request.principal;
    if (!action || !principal || reply.statusCode < 200 || reply.statusCode >= 300) return payload;
    const entry = auditEntryFor({
      action,
      principal,
      params: (request.params ?? {}) as Record<string, unknown>,
      result: results.get(request),
      requestId: request.id,
    });
    try {
      await audit.record(entry);
    } catch (err) {
      request.log.error({ err, audit: entry }, 'audit log write failed');
      throw new AppError('internal_error', 'The action could not be recorded in the audit log.', {
        cause: err,
      });
    }
    return payload;
  });
}
