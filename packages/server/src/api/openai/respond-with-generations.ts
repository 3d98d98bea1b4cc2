import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/index.js';
import type { LlmTarget } from '../../deploy/index.js';
import type { GenerationRequest } from '../../wire/index.js';
import { withClient } from './client-connection.js';
import { collectGenerations, type GenerationResult } from './collect-generation.js';
import { type LlmLabels, recordTokens } from './llm-metrics.js';
import type { LlmRouteDeps } from './llm-route-deps.js';
import { startGenerations } from './start-generations.js';
import { type ChunkRenderer, streamGenerations } from './stream-generations.js';
import { estimatePromptTokens, TokenTally } from './token-tally.js';
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
  const tally = new TokenTally(plan.choicesPerPrompt);
  return withClient(request, reply, async (client) => {
    const meter = request.usage;
    await meter?.reach(
      {
        deployment: plan.target.name,
        model: plan.target.modelName,
        version: plan.target.version,
        endpoint: `openai.${plan.endpoint}`,
      },
      estimatePromptTokens(plan.requests, plan.choicesPerPrompt),
    );
    meter?.countTokens(() => tally.totals());
    const generations = await startGenerations(
      { ...deps, principal: plan.principal, target: plan.target, client, labels, startedAt, tally },
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
        // The ledger row is committed before the stream's last event, as a response's is before it is sent.
        beforeDone: async () => meter?.finish(200),
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
