import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../platform/errors/index.js';
import type { InferRequest, InferResponse, ModelInfo, Tensor, TensorSpec } from '../../wire/index.js';
import { type LoadedModel, RUNTIME_SPEC_VERSION, type TensorModel } from '../contract.js';
import { applyOp, containsValue } from './fake-ops.js';
import type { FakeOptions } from './fake-options.js';

export interface FakeCall {
  /** Leading dimension of the first input: the rows this run saw. */
  batchSize: number;
  inputs: Tensor[];
}

/** Bounds memory when a fake deployment serves a long test run. */
const MAX_RECORDED_CALLS = 10_000;

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Blocks on purpose: simulates compute that holds the event loop.
  }
}

/** A model that computes `op` over its inputs, for routing and batching tests. */
export class FakeModel implements LoadedModel, TensorModel {
  readonly specificationVersion = RUNTIME_SPEC_VERSION;
  readonly capabilities = ['tensors'] as const;
  /** Runs are batched by the runner, one at a time per instance. */
  readonly concurrency = 1;
  /** Every run in order, so tests can see how requests were batched. */
  readonly calls: FakeCall[] = [];
  readonly #options: FakeOptions;
  #loaded = true;

  constructor(options: FakeOptions) {
    this.#options = options;
  }

  info(): ModelInfo {
    const { inputs, outputs, batchable } = this.#options;
    return { platform: 'fake', inputs, outputs, batchable };
  }

  async infer(request: InferRequest): Promise<InferResponse> {
    if (!this.#loaded) throw new AppError('model_not_ready', 'the model was unloaded');
    this.#record(request);
    const { delayMs, busyMs, failOn } = this.#options;
    if (delayMs > 0) await sleep(delayMs);
    if (busyMs > 0) spin(busyMs);
    if (failOn !== undefined && request.inputs.some((t) => containsValue(t, failOn))) {
      throw new Error(`fake backend: an input contains ${JSON.stringify(failOn)}`);
    }
    return { outputs: this.#wantedOutputs(request).map((spec) => this.#compute(request, spec)) };
  }

  async unload(): Promise<void> {
    this.#loaded = false;
  }

  #record(request: InferRequest): void {
    if (this.calls.length >= MAX_RECORDED_CALLS) this.calls.shift();
    this.calls.push({ batchSize: request.inputs[0]?.shape[0] ?? 1, inputs: request.inputs });
  }

  #wantedOutputs(request: InferRequest): TensorSpec[] {
    const all = this.#options.outputs;
    if (!request.outputs) return all;
    return request.outputs.map((name) => {
      const spec = all.find((o) => o.name === name);
      if (!spec) throw new AppError('invalid_tensor', `the model has no output '${name}'`, { param: name });
      return spec;
    });
  }

  /** Declared output i is computed from declared input i (or the last input when there are fewer). */
  #compute(request: InferRequest, spec: TensorSpec): Tensor {
    const declared = this.#options.inputs;
    const index = this.#options.outputs.indexOf(spec);
    const sourceName = declared[Math.min(index, declared.length - 1)]?.name;
    const source = request.inputs.find((t) => t.name === sourceName) ?? request.inputs[0];
    if (!source) throw new AppError('invalid_tensor', 'the request has no inputs');
    return {
      name: spec.name,
      datatype: source.datatype,
      shape: [...source.shape],
      data: applyOp(this.#options.op, source),
    };
  }
}
