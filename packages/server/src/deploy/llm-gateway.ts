import type { Principal } from '../auth/index.js';
import type {
  EmbedRequest,
  EmbedResponse,
  GenerationEvent,
  GenerationRequest,
  LlmInfo,
} from '../wire/index.js';
import type { BackendName } from '../wire/runner/index.js';
import type { RequestRouting } from './request-routing.js';

/** A deployment that answers OpenAI-style requests, as resolved from the body's `model`. */
export interface LlmTarget {
  /** The deployment the request named (its key × model limits apply, whichever deployment answers). */
  requested: string;
  /**
   * The deployment that serves the request: what `model` resolved to (the model's name unless
   * renamed), or a fallback of its failover chain.
   */
  name: string;
  /** The registry model behind the deployment (prices and the usage ledger use it). */
  modelName: string;
  version: number;
  /** Which backend serves it: LLM routes need `llama`; embeddings also accept encoder models later. */
  backend: BackendName;
  info: LlmInfo | undefined;
}

export interface ListedModel {
  id: string;
  created: number;
  ownedBy: string;
}

/**
 * What the OpenAI routes need from the rest of the server: resolve a `model` field (`name`,
 * `name:version`, `name@alias`) within the caller's project and allow-list, and stream from its runner.
 */
export interface LlmGateway {
  /**
   * Throws AppError `model_not_found` (404) for unknown or hidden models, `model_not_ready` (503)
   * when no deployment of its failover chain is running.
   */
  resolve(principal: Principal, model: string, routing?: RequestRouting): Promise<LlmTarget>;
  /**
   * Runs `attempt` on `target` and, while it fails in a way another deployment may not (overload,
   * 5xx, timeout, a prompt past the context), on the next deployments of the failover chain of the
   * one the request named. `attempt` must have sent the caller nothing when it fails.
   */
  withFallbacks<T>(
    principal: Principal,
    target: LlmTarget,
    attempt: (target: LlmTarget) => Promise<T>,
  ): Promise<T>;
  list(principal: Principal): Promise<ListedModel[]>;
  /** Throws AppError before the first event (queue full, bad request); later failures arrive as `error` events. */
  generate(
    principal: Principal,
    target: LlmTarget,
    request: GenerationRequest,
    signal: AbortSignal,
  ): AsyncIterable<GenerationEvent>;
  embed(
    principal: Principal,
    target: LlmTarget,
    request: EmbedRequest,
    signal: AbortSignal,
  ): Promise<EmbedResponse>;
}
