import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../../auth/index.js';
import { routingOf } from '../../deploy/index.js';
import { AppError, parseOrThrow } from '../../platform/errors/index.js';
import { withClient } from './client-connection.js';
import { renderEmbeddings } from './embedding-response.js';
import { recordTokens } from './llm-metrics.js';
import type { LlmRouteDeps } from './llm-route-deps.js';
import { embeddingRequestSchema } from './schemas/embedding-request.js';
import { estimateTextTokens } from './token-tally.js';

/** `POST /v1/embeddings`; which backend embeds is the gateway's business. */
export function embeddingsHandler(deps: LlmRouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = parseOrThrow(embeddingRequestSchema, request.body, 'request body');
    const principal = principalOf(request);
    const target = await deps.gateway.resolve(principal, body.model, routingOf(request, reply, body.user));
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    return withClient(request, reply, async (client) => {
      const meter = request.usage;
      const chars = input.reduce((sum, text) => sum + text.length, 0);
      await meter?.reach(
        {
          deployment: target.requested,
          model: target.modelName,
          version: target.version,
          endpoint: 'openai.embeddings',
        },
        estimateTextTokens(chars),
      );
      const { result, served } = await deps.gateway.withFallbacks(principal, target, async (served) => {
        meter?.servedBy({ deployment: served.name, model: served.modelName, version: served.version });
        return { result: await deps.gateway.embed(principal, served, { input }, client.signal), served };
      });
      meter?.countTokens(() => ({ promptTokens: result.promptTokens, completionTokens: 0 }));
      checkDimensions(body.model, body.dimensions, result.embeddings[0]?.length);
      recordTokens(deps.metrics, { model: served.name, endpoint: 'embeddings' }, result.promptTokens, 0);
      return renderEmbeddings(body.model, result, body.encoding_format ?? 'float');
    });
  };
}

/** Models here embed at one fixed size (no Matryoshka truncation), so `dimensions` may only restate it. */
function checkDimensions(model: string, requested: number | null | undefined, actual: number | undefined) {
  if (requested == null || actual === undefined || requested === actual) return;
  throw new AppError(
    'validation_failed',
    `Invalid 'dimensions': model '${model}' produces ${actual}-dimensional embeddings and cannot change that.`,
    { param: 'dimensions' },
  );
}
