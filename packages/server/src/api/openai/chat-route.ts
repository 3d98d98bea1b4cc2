import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../../auth/index.js';
import { routingOf } from '../../deploy/index.js';
import { parseOrThrow } from '../../platform/errors/index.js';
import { chatChunkRenderer, renderChatCompletion } from './chat-response.js';
import { newCompletionMeta } from './completion-meta.js';
import { holdStream } from './held-stream.js';
import type { LlmRouteDeps } from './llm-route-deps.js';
import { resolveTextModel } from './resolve-text-model.js';
import { respondWithGenerations } from './respond-with-generations.js';
import { chatRequestSchema } from './schemas/chat-request.js';
import { toChatRequest } from './to-chat-request.js';

/** `POST /v1/chat/completions`; `n` > 1 runs that many generations concurrently. */
export function chatCompletionsHandler(deps: LlmRouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = parseOrThrow(chatRequestSchema, request.body, 'request body');
    const principal = principalOf(request);
    // A model starting from zero holds the request; a streaming one gets keep-alives meanwhile.
    const target = await holdStream(
      request,
      reply,
      { stream: body.stream ?? false, keepAliveMs: deps.keepAliveMs },
      () => resolveTextModel(deps.gateway, principal, body.model, routingOf(request, reply, body.user)),
    );
    if (target === undefined) return reply;
    const n = body.n ?? 1;
    const includeUsage = body.stream_options?.include_usage ?? false;
    return respondWithGenerations(deps, request, reply, {
      principal,
      target,
      endpoint: 'chat',
      choicesPerPrompt: n,
      stream: body.stream ?? false,
      includeUsage,
      prepare(deployment) {
        const generation = toChatRequest(body, deployment);
        const meta = newCompletionMeta('chatcmpl', body.model, deployment);
        return {
          requests: Array.from({ length: n }, () => generation),
          renderer: () => chatChunkRenderer(meta, includeUsage),
          render: (results, counts) => renderChatCompletion(meta, results, counts, body.logprobs ?? false),
        };
      },
    });
  };
}
