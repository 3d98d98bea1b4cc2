import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.js';
import type { GenerationRequest } from '../../runtime/generation.js';
import { withClient } from './client-connection.js';
import { collectGenerations, type GenerationResult } from './collect-generation.js';
import type { LlmTarget } from './llm-gateway.js';
import { type LlmLabels, recordTokens } from './llm-metrics.js';
import type { LlmRouteDeps } from './llm-route-deps.js';
import { startGenerations } from './start-generations.js';
import { type ChunkRenderer, streamGenerations } from './stream-generations.js';
import { countTokens, type TokenCounts } from './token-usage.js';

/** One chat or legacy-completion request, translated and ready to run. */
export interface GenerationPlan {
  principal: Principal;
  target: LlmTarget;
  endpoint: 'chat' | 'completions';
  /** One per choice, in choice order. */
  requests: GenerationRequest[];
  choicesPerPrompt: number;
  stream: boolean;
  includeUsage: boolean;
  renderer(): ChunkRenderer;
  render(results: GenerationResult[], counts: TokenCounts): unknown;
}

/** Runs the plan's generations and answers with one JSON body or an SSE stream. */
export function respondWithGenerations(
  deps: LlmRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  plan: GenerationPlan,
): Promise<unknown> {
  // Time to first token counts from the request's arrival, validation and model lookup included.
  const startedAt = performance.now() - reply.elapsedTime;
  const labels: LlmLabels = { model: plan.target.name, endpoint: plan.endpoint };
  return withClient(request, reply, async (client) => {
    const generations = await startGenerations(
      { ...deps, principal: plan.principal, target: plan.target, client, labels, startedAt },
      plan.requests,
    );
    if (plan.stream) {
      const counts = await streamGenerations({
        request,
        reply,
        client,
        generations,
        renderer: plan.renderer(),
        includeUsage: plan.includeUsage,
        choicesPerPrompt: plan.choicesPerPrompt,
      });
      if (counts) recordTokens(deps.metrics, labels, counts.promptTokens, counts.completionTokens);
      return reply;
    }
    const results = await collectGenerations(generations, client);
    const counts = countTokens(results, plan.choicesPerPrompt);
    recordTokens(deps.metrics, labels, counts.promptTokens, counts.completionTokens);
    return plan.render(results, counts);
  });
}
