import type {
  FastifyInstance,
  FastifyRequest,
  onSendAsyncHookHandler,
  preSerializationAsyncHookHandler,
} from 'fastify';
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
  const keepResult: preSerializationAsyncHookHandler = async (request, _reply, payload) => {
    results.set(request, payload);
    return payload;
  };
  const record: onSendAsyncHookHandler = async (request, reply, payload) => {
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
  };
  // Only the routes that declare an action carry the hooks: the others (inference) pay nothing.
  app.addHook('onRoute', (route) => {
    if (!route.config?.audit) return;
    route.preSerialization = [...hooksOf(route.preSerialization), keepResult];
    route.onSend = [...hooksOf(route.onSend), record];
  });
}

function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks];
}
