import type { Principal } from '../../auth/index.js';
import type { LlmGateway, LlmTarget } from '../../deploy/index.js';
import type { GenerationEvent, GenerationRequest } from '../../wire/index.js';
import type { ClientConnection } from './client-connection.js';
import { generationError } from './generation-error.js';
import type { LlmLabels, LlmMetrics } from './llm-metrics.js';
import type { TokenTally } from './token-tally.js';

export interface GenerationRun {
  gateway: LlmGateway;
  principal: Principal;
  target: LlmTarget;
  client: ClientConnection;
  metrics: LlmMetrics;
  labels: LlmLabels;
  /** `performance.now()` when the request arrived, for time to first token. */
  startedAt: number;
  tally: TokenTally;
}

/** One choice's events, its first one already received. */
export interface Generation {
  index: number;
  events: AsyncGenerator<GenerationEvent>;
}

/**
 * Starts one generation per request concurrently and waits for each one's first event, so that a
 * refusal (queue full, bad request) still becomes a plain HTTP error before any stream opens.
 * If one fails, the others are stopped.
 */
export async function startGenerations(
  run: GenerationRun,
  requests: readonly GenerationRequest[],
): Promise<Generation[]> {
  const settled = await Promise.allSettled(
    requests.map((request, index) =>
      startOne(run, request, index).catch((err: unknown) => {
        run.client.abort();
        throw err;
      }),
    ),
  );
  const generations: Generation[] = [];
  let failure: { reason: unknown } | undefined;
  for (const s of settled) {
    if (s.status === 'fulfilled') generations.push(s.value);
    else failure ??= s;
  }
  if (!failure) return generations;
  for (const g of generations) void g.events.return(undefined).catch(() => undefined);
  throw failure.reason;
}

async function startOne(run: GenerationRun, request: GenerationRequest, index: number): Promise<Generation> {
  const source = run.gateway.generate(run.principal, run.target, request, run.client.signal);
  const events = observed(source, run, index);
  const first = await events.next();
  if (!first.done && first.value.type === 'error') {
    await events.return(undefined);
    throw generationError(first.value);
  }
  return { index, events: resumed(first, events) };
}

async function* resumed(
  first: IteratorResult<GenerationEvent>,
  rest: AsyncGenerator<GenerationEvent>,
): AsyncGenerator<GenerationEvent> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}

/** Counts tokens, and records time to first token and the gaps between text pieces, as events pass. */
async function* observed(
  events: AsyncIterable<GenerationEvent>,
  run: GenerationRun,
  index: number,
): AsyncGenerator<GenerationEvent> {
  let last: number | undefined;
  for await (const event of events) {
    run.tally.observe(index, event);
    if ((event.type === 'text' && event.text.length > 0) || event.type === 'tool_calls') {
      const now = performance.now();
      if (last === undefined)
        run.metrics.timeToFirstTokenSeconds.observe(run.labels, (now - run.startedAt) / 1000);
      else if (event.type === 'text')
        run.metrics.interTokenLatencySeconds.observe(run.labels, (now - last) / 1000);
      last = now;
    }
    yield event;
  }
}
