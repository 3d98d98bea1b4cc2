import type { Tensor as OrtTensor } from 'onnxruntime-node';
import { AppError } from '../../platform/errors/index.js';
import type { InferRequest, InferResponse, ModelInfo, Tensor } from '../../wire/index.js';
import { type LoadedModel, RUNTIME_SPEC_VERSION, type TensorModel } from '../contract.js';
import { checkRequest } from './request-check.js';
import { classifyRunError } from './run-error.js';
import { fromOrtTensor, toOrtTensor } from './tensor-convert.js';

function toFeeds(inputs: readonly Tensor[]): Record<string, OrtTensor> {
  const feeds: Record<string, OrtTensor> = {};
  for (const tensor of inputs) feeds[tensor.name] = toOrtTensor(tensor);
  return feeds;
}

function outputOf(results: Record<string, OrtTensor>, name: string): OrtTensor {
  const value = results[name];
  if (!value) throw new Error(`onnxruntime returned no output '${name}'`);
  return value;
}

/** The calls of an onnxruntime session a model makes. */
export interface ModelSession {
  run(feeds: Record<string, OrtTensor>, outputNames: readonly string[]): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** A model loaded into one onnxruntime session. */
export class OnnxModel implements LoadedModel, TensorModel {
  readonly specificationVersion = RUNTIME_SPEC_VERSION;
  readonly capabilities = ['tensors'] as const;
  /** Runs are batched by the runner, one at a time per instance. */
  readonly concurrency = 1;
  #session: ModelSession | undefined;
  readonly #info: ModelInfo;
  readonly #running = new Set<Promise<unknown>>();

  constructor(session: ModelSession, info: ModelInfo) {
    this.#session = session;
    this.#info = info;
  }

  info(): ModelInfo {
    return this.#info;
  }

  async infer(request: InferRequest): Promise<InferResponse> {
    const session = this.#session;
    if (!session) throw new AppError('model_not_ready', 'the model was unloaded');
    const outputNames = checkRequest(this.#info, request);
    const run = session.run(toFeeds(request.inputs), outputNames);
    this.#running.add(run);
    let results: Record<string, OrtTensor>;
    try {
      results = await run;
    } catch (err) {
      throw classifyRunError(err, this.#info);
    } finally {
      this.#running.delete(run);
    }
    return { outputs: outputNames.map((name) => fromOrtTensor(name, outputOf(results, name))) };
  }

  /** Releases the native session once runs already started have finished. */
  async unload(): Promise<void> {
    const session = this.#session;
    if (!session) return;
    this.#session = undefined;
    await Promise.allSettled([...this.#running]);
    await session.release();
  }
}
