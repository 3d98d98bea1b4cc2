import type { FastifyReply, FastifyRequest } from 'fastify';

/** What an inference request asks of the traffic split, and who hears where it went. */
export interface RequestRouting {
  /** `x-modelport-target-variant`: this variant, whatever its weight. */
  readonly target: string | undefined;
  /** `x-modelport-session` (else OpenAI's `user`): a session keeps its variant. */
  readonly session: string | undefined;
  /** Called once the request has its pool: the route answers the variant and revision as headers. */
  routed(variant: string, revision: number): void;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The routing of an inference request from its headers; `session` is the protocol's own session
 * field (OpenAI's `user`), used when no `x-modelport-session` header is sent. The answer carries
 * `x-modelport-variant` and `x-modelport-revision` from the moment it is routed (so errors and
 * streams carry them too).
 */
export function routingOf(req: FastifyRequest, reply: FastifyReply, session?: string | null): RequestRouting {
  return {
    target: header(req, 'x-modelport-target-variant'),
    session: header(req, 'x-modelport-session') ?? session ?? undefined,
    routed(variant, revision) {
      reply.header('x-modelport-variant', variant);
      reply.header('x-modelport-revision', String(revision));
    },
  };
}
