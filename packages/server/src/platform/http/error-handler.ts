import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, protocolForUrl, renderError, toAppError } from '../errors/index.js';

/** Renders every failure once, in the shape of the protocol the route speaks. */
export function installErrorHandling(app: FastifyInstance): void {
  app.decorateRequest('errorCode', null);
  app.setErrorHandler((err, request, reply) => {
    const appErr = toAppError(err);
    if (appErr.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: appErr.code }, appErr.message);
    return sendError(request, reply, appErr);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new AppError('route_not_found', `No route for ${request.method} ${request.url}.`),
    ),
  );
}

export function sendError(request: FastifyRequest, reply: FastifyReply, err: AppError) {
  request.errorCode = err.code;
  // The openai client (and others) read this: a spent budget is not worth retrying.
  if (err.status === 429 && !err.retryable) reply.header('x-should-retry', 'false');
  if (err.retryAfterS !== undefined)
    reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterS))));
  return reply
    .code(err.status)
    .type('application/json; charset=utf-8')
    .send(renderError(protocolForUrl(request.url), err, request.id));
}
