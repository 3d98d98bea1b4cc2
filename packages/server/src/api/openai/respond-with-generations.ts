import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LlmTarget } from '../../deploy/index.js';
import { withClient } from './client-connection.js';
import { collectGenerations } from './collect-generation.js';
import type { GenerationPlan } from './generation-plan.js';
import { recordTokens } from './llm-metrics.js';
import type { LlmRouteDeps } from './llm-route-deps.js';
import { type AttemptContext, startAttempt } from './start-attempt.js';
import { streamGenerations } from './stream-generations.js';
import { estimatePromptTokens } from './token-tally.js';
import { countTokens } from './token-usage.js';

/**
 * Runs the plan's generations and answers with one JSON body or an SSE stream. A deployment that
 * fails before the answer starts hands the request to the next of its failover chain: for a
 * stream, until every choice's first event arrived (the stream opens after that); otherwise until
 * every choice ended.
 */
export function respondWithGenerations(
  deps: LlmRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  plan: GenerationPlan,
): Promise<unknown> {
  // Time to first token counts from the request's arrival, validation and model lookup included.
  const startedAt = performance.now() - reply.elapsedTime;
  const prepared = plan.prepare(plan.target);
  return withClient(request, reply, async (client) => {
    const meter = request.usage;
    await meter?.reach(
      {
        deployment: plan.target.requested,
        model: plan.target.modelName,
        version: plan.target.version,
        endpoint: `openai.${plan.endpoint}`,
      },
      estimatePromptTokens(prepared.requests, plan.choicesPerPrompt),
    );
    const context: AttemptContext = { deps, plan, prepared, client, startedAt, meter };
    const attempt = (target: LlmTarget) => startAttempt(context, target);
    if (plan.stream) {
      const started = await deps.gateway.withFallbacks(plan.principal, plan.target, attempt);
      const counts = await streamGenerations({
        request,
        reply,
        client: started.client,
        generations: started.generations,
        renderer: started.prepared.renderer(),
        includeUsage: plan.includeUsage,
        choicesPerPrompt: plan.choicesPerPrompt,
        // The ledger row is committed before the stream's last event, as a response's is before it is sent.
        beforeDone: async () => meter?.finish(200),
      });
      if (counts) recordTokens(deps.metrics, started.labels, counts.promptTokens, counts.completionTokens);
      return reply;
    }
    return deps.gateway.withFallbacks(plan.principal, plan.target, async (target) => {
      const started = await attempt(target);
      const results = await collectGenerations(started.generations, started.client);
      const counts = countTokens(results, plan.choicesPerPrompt);
      recordTokens(deps.metrics, started.labels, counts.promptTokens, counts.completionTokens);
      return started.prepared.render(results, counts);
    });
  });
}
