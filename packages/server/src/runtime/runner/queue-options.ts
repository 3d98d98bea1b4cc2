import type { FastifyReply, FastifyRequest } from 'fastify';
import { abortOnClose } from '../../platform/http/index.js';
import type { RunnerSpec } from '../../wire/runner/index.js';
import type { QueueOptions } from '../queue/index.js';

/** The caller's deadline (`x-timeout-ms`, else the deployment's) and its going away. */
export function queueOptions(
  spec: Pick<RunnerSpec, 'timeoutMs'>,
  request: FastifyRequest,
  reply: FastifyReply,
): QueueOptions {
  const header = Number(request.headers['x-timeout-ms']);
  return {
    signal: abortOnClose(reply),
    timeoutMs: Number.isFinite(header) && header > 0 ? header : spec.timeoutMs,
  };
}
