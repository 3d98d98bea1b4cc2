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
  // With `done`, not async: requests that reach no model pay no promise here.
  app.addHook('preParsing', (request, reply, payload, done) => {
    if (request.principal) request.usage = new RequestMeter(gateway, request.principal, request, reply);
    done(null, payload);
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    const meter = request.usage;
    if (!meter?.reached) return done(null, payload);
    meter.finish(reply.statusCode, request.errorCode ?? undefined).then(
      () => done(null, payload),
      (err: Error) => done(err),
    );
  });
}
