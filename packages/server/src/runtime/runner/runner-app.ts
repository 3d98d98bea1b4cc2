import Fastify, { type FastifyInstance } from 'fastify';
import { toAppError } from '../../platform/errors/index.js';

/**
 * The runner server's base: errors as `{error, code, param?}` with their catalog status (and
 * `retry-after` when retryable), faults traced to stderr, and the health routes.
 */
export function createRunnerApp(bodyLimit: number): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit });
  app.setErrorHandler((err, _request, reply) => {
    const appErr = toAppError(err);
    // Refusals (queue full, deadline) are expected; faults are traced unless the caller already left.
    if (appErr.status >= 500 && appErr.code !== 'queue_full' && !reply.raw.destroyed) {
      process.stderr.write(`runner: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    if (appErr.retryAfterS !== undefined) reply.header('retry-after', String(appErr.retryAfterS));
    return reply
      .code(appErr.status)
      .send({ error: appErr.message, code: appErr.code, ...(appErr.param ? { param: appErr.param } : {}) });
  });
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async () => ({ ready: true }));
  return app;
}
