/**
 * The runtime specification every backend implements (onnx, llama, transformers, fake), after
 * vercel/ai's provider specs: versioned (a backend states the version it implements and the runner
 * refuses a mismatch), and a model declares the capabilities it serves. A backend computes; it does
 * not queue: the runner puts every model behind one kind of queue (runner/served-model.ts).
 */

import type {
  EmbedRequest,
  EmbedResponse,
  GenerationEvent,
  GenerationRequest,
  InferRequest,
  InferResponse,
  ModelInfo,
  PredictRequest,
  PredictResponse,
  RunnerInfo,
} from '../wire/index.js';
import type { BackendName } from '../wire/runner/index.js';

export const RUNTIME_SPEC_VERSION = 2 as const;

/** What a model can be asked; the runner serves the routes of each capability its model declares. */
export const capabilities = ['tensors', 'predict', 'embeddings', 'generation'] as const;
export type Capability = (typeof capabilities)[number];

/** The part of a request that runs in its queue turn, with the caller's abort (or deadline) signal. */
export type Work<T> = (signal: AbortSignal) => Promise<T>;

/**
 * A generation started in its queue turn: its events until `end` (or `error`), and when it has
 * given back what it held (its sequence), which frees the turn even if nobody reads on. A consumer
 * that stops reading stops the generation.
 */
export interface GenerationRun {
  events: AsyncIterable<GenerationEvent>;
  done: Promise<void>;
}
export type GenerationWork = (signal: AbortSignal) => GenerationRun;

export interface LoadOptions {
  /** Local path of the artifact (file, or folder for folder models). */
  path: string;
  /** Threads the instance may use (from the CPU budget). */
  threads: number;
  /** Backend-specific settings from the deployment (execution provider, task, context size…). */
  options: Record<string, unknown>;
}

export interface LoadedModel {
  readonly specificationVersion: typeof RUNTIME_SPEC_VERSION;
  readonly capabilities: readonly Capability[];
  /** Works that may run at once (a tensor model's runs are batched instead, one at a time). */
  readonly concurrency: number;
  /** What the runner reports to its supervisor when ready. */
  info(): RunnerInfo;
  /** `tensors`: one run over a batch the runner has already merged. */
  infer?(request: InferRequest): Promise<InferResponse>;
  /**
   * `predict`, `embeddings`, `generation`: the request checked where that is cheap (400/413/415
   * before it queues), then the work that runs in its turn.
   */
  predict?(request: PredictRequest): Promise<Work<PredictResponse>>;
  embed?(request: EmbedRequest): Promise<Work<EmbedResponse>>;
  generate?(request: GenerationRequest): Promise<GenerationWork>;
  /** Frees the model once runs already started have finished. */
  unload(): Promise<void>;
}

/** A model with the `tensors` capability, as the dynamic batcher runs it. */
export interface TensorModel {
  info(): ModelInfo;
  infer(request: InferRequest): Promise<InferResponse>;
}

export interface RuntimeBackend {
  readonly specificationVersion: typeof RUNTIME_SPEC_VERSION;
  readonly name: BackendName;
  load(options: LoadOptions): Promise<LoadedModel>;
}
