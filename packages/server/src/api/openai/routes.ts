import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Registry } from 'prom-client';
import type { LlmGateway } from '../../deploy/index.js';
import { chatCompletionsHandler } from './chat-route.js';
import { completionsHandler } from './completion-route.js';
import { embeddingsHandler } from './embedding-route.js';
import { createLlmMetrics, type LlmMetrics } from './llm-metrics.js';
import type { LlmRouteDeps } from './llm-route-deps.js';
import { listModelsHandler, retrieveModelHandler } from './models-route.js';

export interface OpenAiRouteOptions {
  gateway: LlmGateway;
  /** From `createLlmMetrics(registry)`; without it the metrics go to a private registry nobody scrapes. */
  metrics?: LlmMetrics;
  /** Between SSE comments of a stream held while its model starts (`streamKeepAliveMs`); 5 s unset. */
  keepAliveMs?: number;
}

const infer = { auth: { scopes: ['infer'] as const } };

/** The OpenAI-compatible API (`/v1/...`): models, chat completions, legacy completions, embeddings. */
export const openaiRoutes: FastifyPluginAsync<OpenAiRouteOptions> = async (app, opts) => {
  const deps: LlmRouteDeps = {
    gateway: opts.gateway,
    metrics: opts.metrics ?? createLlmMetrics(new Registry()),
    keepAliveMs: opts.keepAliveMs ?? 5000,
  };
  app.get('/v1/models', { config: infer }, listModelsHandler(deps));
  app.get<{ Params: { model: string } }>('/v1/models/:model', { config: infer }, retrieveModelHandler(deps));
  // The body names the model: before it is read, only what needs no model is refused (a full
  // ledger, the key's tokens per minute used up, a spent budget); the rest once it is parsed.
  const admitTokens = async (req: FastifyRequest) => {
    await req.usage?.precheck(undefined, true);
  };
  app.post('/v1/chat/completions', { config: infer, preParsing: admitTokens }, chatCompletionsHandler(deps));
  app.post('/v1/completions', { config: infer, preParsing: admitTokens }, completionsHandler(deps));
  app.post('/v1/embeddings', { config: infer, preParsing: admitTokens }, embeddingsHandler(deps));
};
