import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../../auth/index.js';
import { routingOf } from '../../deploy/index.js';
import { parseOrThrow } from '../../platform/errors/index.js';
import { newCompletionMeta } from './completion-meta.js';
import { type CompletionShape, completionChunkRenderer, renderCompletion } from './completion-response.js';
import { holdStream } from './held-stream.js';
import type { LlmRouteDeps } from './llm-route-deps.js';
import { resolveTextModel } from './resolve-text-model.js';
import { respondWithGenerations } from './respond-with-generations.js';
import { completionRequestSchema } from './schemas/completion-request.js';
import { toSamplingOptions } from './to-sampling-options.js';

/** `POST /v1/completions`: every prompt gets `n` choices, numbered prompt by prompt as OpenAI does. */
export function completionsHandler(deps: LlmRouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = parseOrThrow(completionRequestSchema, request.body, 'request body');
    const principal = principalOf(request);
    // A model starting from zero holds the request; a streaming one gets keep-alives meanwhile.
    const target = await holdStream(
      request,
      reply,
      { stream: body.stream ?? false, keepAliveMs: deps.keepAliveMs },
      () => resolveTextModel(deps.gateway, principal, body.model, routingOf(request, reply, body.user)),
    );
    if (target === undefined) return reply;
    const prompts = typeof body.prompt === 'string' ? [body.prompt] : body.prompt;
    const n = body.n ?? 1;
    const shape: CompletionShape = {
      promptOf: (index) => prompts[Math.floor(index / n)] ?? '',
      echo: body.echo ?? false,
      withLogprobs: body.logprobs != null,
    };
    const includeUsage = body.stream_options?.include_usage ?? false;
    return respondWithGenerations(deps, request, reply, {
      principal,
      target,
      endpoint: 'completions',
      choicesPerPrompt: n,
      stream: body.stream ?? false,
      includeUsage,
      prepare(deployment) {
        const sampling = toSamplingOptions(body, deployment, body.logprobs ?? undefined);
        const meta = newCompletionMeta('cmpl', body.model, deployment);
        return {
          requests: prompts.flatMap((prompt) =>
            Array.from({ length: n }, () => ({ kind: 'completion' as const, ...sampling, prompt })),
          ),
          renderer: () => completionChunkRenderer(meta, shape, includeUsage),
          render: (results, counts) => renderCompletion(meta, results, counts, shape),
        };
      },
    });
  };
}
