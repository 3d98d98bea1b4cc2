/**
 * The runtime specification every backend implements (onnx, llama, transformers, fake). Versioned:
 * a backend states the version it implements and the runner refuses a mismatch.
 */
import type { InferRequest, InferResponse, ModelInfo } from '../wire/index.js';

export const RUNTIME_SPEC_VERSION = 1 as const;

export interface LoadOptions {
  /** Local path of the artifact (file, or folder for folder models). */
  path: string;
  /** Intra-op threads the instance may use (from the CPU budget). */
  threads: number;
  /** Backend-specific settings from the deployment (execution provider, …). */
  options: Record<string, unknown>;
}

export interface LoadedModel {
  info(): ModelInfo;
  infer(request: InferRequest): Promise<InferResponse>;
  unload(): Promise<void>;
}

export interface RuntimeBackend {
  readonly specificationVersion: typeof RUNTIME_SPEC_VERSION;
  readonly name: string;
  load(options: LoadOptions): Promise<LoadedModel>;
}
