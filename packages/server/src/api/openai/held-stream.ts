import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderError, toAppError } from '../../platform/errors/index.js';
import { SseStream } from './sse-stream.js';

/** The longest a streaming request waits for its model before the stream opens with a keep-alive. */
const MAX_FIRST_KEEP_ALIVE_MS = 1000;

/**
 * Resolves what a streaming request needs before it can generate (its deployment, which may be
 * starting from zero). Past a second (or `keepAliveMs` if shorter), the SSE stream opens and a
 * comment goes out every `keepAliveMs`, so clients and proxies with idle timeouts keep waiting. A failure after the stream opened is sent as
 * the stream's error event, and undefined is returned: the answer has been given.
 */
export async function holdStream<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { stream: boolean; keepAliveMs: number },
  resolve: () => Promise<T>,
): Promise<T | undefined> {
  if (!opts.stream) return resolve();
  let sse: SseStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  const keepAlive = () => {
    sse ??= SseStream.open(reply);
    void sse.comment('waiting for the model to start');
    timer = setTimeout(keepAlive, opts.keepAliveMs);
  };
  timer = setTimeout(keepAlive, Math.min(MAX_FIRST_KEEP_ALIVE_MS, opts.keepAliveMs));
  try {
    return await resolve();
  } catch (err) {
    if (!sse) throw err;
    const appErr = toAppError(err);
    if (request.usage) request.usage.errorCode = appErr.code;
    request.log.info({ code: appErr.code }, appErr.message);
    sse.fail(renderError('openai', appErr, request.id));
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
