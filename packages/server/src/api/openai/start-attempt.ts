import type { FastifyRequest } from 'fastify';
import type { LlmTarget } from '../../deploy/index.js';
import { attemptConnection, type ClientConnection } from './client-connection.js';
import type { GenerationPlan, PreparedGenerations } from './generation-plan.js';
import type { LlmLabels } from './llm-metrics.js';
import type { LlmRouteDeps } from './llm-route-deps.js';
import { type Generation, startGenerations } from './start-generations.js';
import { TokenTally } from './token-tally.js';

/** What every attempt of one request shares. */
export interface AttemptContext {
  deps: LlmRouteDeps;
  plan: GenerationPlan;
  /** The requests prepared for `plan.target`. */
  prepared: PreparedGenerations;
  client: ClientConnection;
  startedAt: number;
  meter: FastifyRequest['usage'];
}

/** One deployment's generations, each past its first event, and what to render and record them with. */
export interface StartedAttempt {
  generations: Generation[];
  prepared: PreparedGenerations;
  labels: LlmLabels;
  /** Aborts this attempt's generations only (the caller's connection aborts them too). */
  client: ClientConnection;
}

/**
 * Starts the request's generations on one deployment of its chain: the usage row and the token
 * count follow it from here (an attempt given up counts nothing).
 */
export async function startAttempt(context: AttemptContext, target: LlmTarget): Promise<StartedAttempt> {
  const { deps, plan, meter } = context;
  const prepared = target === plan.target ? context.prepared : plan.prepare(target);
  const tally = new TokenTally(plan.choicesPerPrompt);
  meter?.servedBy({ deployment: target.name, model: target.modelName, version: target.version });
  meter?.countTokens(() => tally.totals());
  const client = attemptConnection(context.client);
  const labels: LlmLabels = { model: target.name, endpoint: plan.endpoint };
  const run = { ...deps, principal: plan.principal, target, client, labels, tally };
  const generations = await startGenerations({ ...run, startedAt: context.startedAt }, prepared.requests);
  return { generations, prepared, labels, client };
}
