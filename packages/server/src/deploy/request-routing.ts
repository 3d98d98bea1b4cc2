import type { FastifyReply, FastifyRequest } from 'fastify';

/** What an inference request asks of the traffic split, and who hears where it went. */
export interface RequestRouting {
  /** `x-modelport-target-variant`: this variant, whatever its weight. */
  readonly target: string | undefined;
  /** `x-modelport-session` (else OpenAI's `user`): a session keeps its variant. */
  readonly session: string | undefined;
  /** Called once the request has its pool: the route answers the variant and revision as headers. */
  routed(variant: string, revision: number): void;
  /**
   * Called with the deployment each attempt goes to (`fallback`: not the one the request named):
   * the answer names the last, the one that answered, in `x-modelport-deployment` and `x-modelport-fallback`.
   */
  answered(deployment: string, fallback: boolean): void;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The routing of an inference request from its headers; `session` is the protocol's own session
 * field (OpenAI's `user`), used when no `x-modelport-session` header is sent. The answer carries
 * `x-modelport-variant`, `x-modelport-revision`, `x-modelport-deployment` and `x-modelport-fallback`
 * from the moment it is routed (so errors and streams carry them too).
 */
export function routingOf(req: FastifyRequest, reply: FastifyReply, session?: string | null): RequestRouting {
  return {
    target: header(req, 'x-modelport-target-variant'),
    session: header(req, 'x-modelport-session') ?? session ?? undefined,
    routed(variant, revision) {
      reply.header('x-modelport-variant', variant);
      reply.header('x-modelport-revision', String(revision));
    },
    answered(deployment, fallback) {
      reply.header('x-modelport-deployment', deployment);
      reply.header('x-modelport-fallback', String(fallback));
    },
  };
}
