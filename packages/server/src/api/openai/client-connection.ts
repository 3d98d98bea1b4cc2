import type { FastifyReply, FastifyRequest } from 'fastify';

/** The caller's side of a request: its going away aborts the generations at once. */
export interface ClientConnection {
  readonly signal: AbortSignal;
  /** Stops the request's generations (client gone, a sibling choice failed, the stream ended early). */
  abort(): void;
  gone(): boolean;
}

export function watchClient(reply: FastifyReply): ClientConnection {
  const controller = new AbortController();
  let gone = false;
  // The response's 'close' fires when the socket goes; the request's fires once its body is read.
  reply.raw.once('close', () => {
    if (reply.raw.writableFinished) return;
    gone = true;
    controller.abort();
  });
  return { signal: controller.signal, abort: () => controller.abort(), gone: () => gone };
}

/** Runs `work`; a failure caused by the client leaving is logged quietly instead of answered. */
export async function withClient<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  work: (client: ClientConnection) => Promise<T>,
): Promise<T | FastifyReply> {
  const client = watchClient(reply);
  try {
    return await work(client);
  } catch (err) {
    if (!client.gone()) throw err;
    request.log.info('client closed the connection before the response');
    return reply.hijack();
  }
}

/**
 * The connection of one attempt of a failover chain: aborted when the caller goes, or on its own
 * when the attempt is given up (a sibling choice failed), leaving the caller's for the next attempt.
 */
export function attemptConnection(client: ClientConnection): ClientConnection {
  const controller = new AbortController();
  return {
    signal: AbortSignal.any([client.signal, controller.signal]),
    abort: () => controller.abort(),
    gone: () => client.gone(),
  };
}
