import type { FastifyReply } from 'fastify';

/**
 * Aborted when the response closes before it was fully written: the caller went away. The
 * request's own 'close' fires as soon as its body is read, so the response's is the one to watch.
 */
export function abortOnClose(reply: FastifyReply): AbortSignal {
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  return abort.signal;
}
