import type { FastifyInstance } from 'fastify';
import { RequestMeter } from './request-meter.js';
import type { UsageGateway } from './usage-gateway.js';

/**
 * Gives every authenticated request a meter, and holds each response that reached a model until
 * its ledger row is committed: a caller never sees a result the ledger lost.
 */
export function installMetering(app: FastifyInstance, gateway: UsageGateway): void {
  app.decorateRequest('usage', null);
  // Before the body is parsed, so routes can refuse through the meter without reading it (`precheck`).
  app.addHook('preParsing', async (request, reply) => {
    if (request.principal) request.usage = new RequestMeter(gateway, request.principal, request, reply);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const meter = request.usage;
    if (meter?.reached) await meter.finish(reply.statusCode, request.errorCode ?? undefined);
    return payload;
  });
}
