import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { errorCatalog } from '@modelport/contracts';
import type { Principal } from '../auth/index.js';
import type { Engine, InstancePool } from '../engine/index.js';
import { runnerError } from '../engine/index.js';
import { AppError } from '../platform/errors/index.js';
import type { EmbedResponse, GenerationEvent } from '../wire/index.js';
import type { ChainLink, FailoverRun } from './failover/failover-run.js';
import type { LlmGateway, LlmTarget } from './llm-gateway.js';
import type { RequestRouting } from './request-routing.js';
import type { DeploymentService } from './service.js';

/** Told the token timing of every stream (rollout guardrails on TTFT and inter-token latency). */
export interface StreamTimings {
  firstToken(pool: InstancePool, ms: number): void;
  interToken(pool: InstancePool, ms: number): void;
}

interface GatewayDeps {
  deployments: DeploymentService;
  engine: Engine;
  streams?: StreamTimings;
}

/** What `resolve` hands out: the public fields, the pool the request was routed to and its chain. */
interface RoutedLlmTarget extends LlmTarget {
  readonly pool: InstancePool;
  readonly chain: FailoverRun;
}

function targetOf(chain: FailoverRun, { pool }: ChainLink): RoutedLlmTarget {
  return {
    requested: chain.requested,
    name: pool.plan.name,
    modelName: pool.plan.modelName,
    version: pool.plan.version,
    backend: pool.plan.backend,
    info: pool.llmInfo,
    pool,
    chain,
  };
}

/** A stream that ended in an error the server caused counts against its pool, as a thrown one does. */
function serverFailure(event: GenerationEvent | undefined): AppError | undefined {
  if (event?.type !== 'error' || errorCatalog[event.code].status < 500) return undefined;
  return new AppError(event.code, event.message);
}

/** What `resolve` chose for this request: generation and embedding never resolve again. */
function routed(target: LlmTarget): RoutedLlmTarget {
  const { pool, chain } = target as Partial<RoutedLlmTarget>;
  if (!pool || !chain) throw new Error(`target '${target.name}' was not resolved by this gateway`);
  return target as RoutedLlmTarget;
}

/** Resolves OpenAI `model` fields to deployments and streams generation events from their runners. */
export function createLlmGateway(deps: GatewayDeps): LlmGateway {
  return {
    async resolve(p: Principal, model: string, routing?: RequestRouting): Promise<RoutedLlmTarget> {
      const chain = await deps.deployments.servingChainFor(p, model, { routing, kind: 'llm' });
      return targetOf(chain, chain.current);
    },

    withFallbacks(_p, target, attempt) {
      const { chain, pool } = routed(target);
      return chain.run((link) => attempt(link.pool === pool ? target : targetOf(chain, link)));
    },

    async list(p) {
      return (await deps.deployments.list(p)).map((d) => ({
        id: d.name,
        created: Math.floor(Date.parse(d.createdAt) / 1000),
        ownedBy: 'modelport',
      }));
    },

    async *generate(_p, target, request, signal) {
      const { pool } = routed(target);
      const events: GenerationEvent[] = [];
      let wake: (() => void) | undefined;
      let done = false;
      let failure: unknown;
      const startedAt = performance.now();
      const finished = deps.engine
        .withRunner(
          pool,
          async (client) => {
            const res = await client.open('/v1/generate', {
              body: JSON.stringify(request),
              signal,
              timeoutMs: pool.plan.settings.timeoutMs,
            });
            if (res.status !== 200) throw runnerError(res.status, await res.body.text());
            let last = startedAt;
            for await (const line of createInterface({
              input: Readable.from(res.body),
              crlfDelay: Infinity,
            })) {
              if (line.trim() === '') continue;
              const event = JSON.parse(line) as GenerationEvent;
              if (event.type === 'text' && deps.streams) {
                const now = performance.now();
                if (last === startedAt) deps.streams.firstToken(pool, now - startedAt);
                else deps.streams.interToken(pool, (now - last) / Math.max(1, event.tokens ?? 1));
                last = now;
              }
              events.push(event);
              wake?.();
              if (event.type === 'error') return event;
            }
            return undefined;
          },
          { failed: serverFailure },
        )
        .catch((err: unknown) => {
          failure = err;
        })
        .finally(() => {
          done = true;
          wake?.();
        });
      while (true) {
        const next = events.shift();
        if (next) {
          yield next;
          continue;
        }
        if (done) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      await finished;
      if (failure && !signal.aborted) throw failure;
    },

    async embed(_p, target, request, signal): Promise<EmbedResponse> {
      const { pool } = routed(target);
      return deps.engine.withRunner(
        pool,
        (client) =>
          client.postJson<EmbedResponse>('/v1/embed', request, {
            signal,
            timeoutMs: pool.plan.settings.timeoutMs,
          }),
        // Shadows get the same request (generation is not mirrored: docs/rollouts.md).
        { mirror: { send: (client, deadline) => client.postJson('/v1/embed', request, deadline) } },
      );
    },
  };
}
