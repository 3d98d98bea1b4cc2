import { AppError } from '../../platform/errors/index.js';
import type {
  EmbedRequest,
  EmbedResponse,
  GenerationEvent,
  GenerationRequest,
  InferRequest,
  ModelInfo,
  PredictRequest,
  PredictResponse,
  RunnerInfo,
} from '../../wire/index.js';
import {
  type BatchedResponse,
  DynamicBatcher,
  type DynamicBatcherOptions,
  type SubmitOptions,
} from '../batching/index.js';
import type { Capability, GenerationRun, LoadedModel, TensorModel } from '../contract.js';
import type { TaskPipeline } from '../pipelines/task-pipeline.js';
import { type QueueOptions, type QueueStats, type Timed, unloading, WorkQueue } from '../queue/index.js';
import { tensorTaskPipeline } from './tensor-task-pipeline.js';

export interface ServeSettings {
  maxQueueSize: number;
  /** Default deadline of a request that names none. */
  timeoutMs: number;
  batching: Pick<
    DynamicBatcherOptions,
    'maxBatchSize' | 'maxQueueDelayMs' | 'preferredBatchSizes' | 'onBatch'
  >;
  /** The deployment's options: an ONNX task pipeline reads `task` and `taskConfig` from them. */
  options: Record<string, unknown>;
}

/**
 * A loaded model behind its queue, as the runner server serves it: tensor models in a dynamic
 * batcher (task pipelines on top go through it too), every other model in a work queue of its
 * `concurrency`. What the model does not declare is refused with 400 `task_not_supported`.
 */
export interface ServedModel {
  readonly capabilities: ReadonlySet<Capability>;
  info(): RunnerInfo;
  stats(): QueueStats;
  infer(request: InferRequest, options: SubmitOptions): Promise<BatchedResponse>;
  predict(request: PredictRequest, options: QueueOptions): Promise<Timed<PredictResponse>>;
  embed(request: EmbedRequest, options: QueueOptions): Promise<Timed<EmbedResponse>>;
  /** Events until `end` (or `error`); refusals (400, 503 queue full, 504 waiting) throw before the first. */
  generate(request: GenerationRequest, options: QueueOptions): AsyncIterable<GenerationEvent>;
  /** Refuses new requests, lets running ones end, then frees the model. */
  close(): Promise<void>;
}

export function serveModel(model: LoadedModel, settings: ServeSettings): ServedModel {
  const capabilities = new Set(model.capabilities);
  if (capabilities.has('tensors')) return serveTensors(model, settings);
  const queue = new WorkQueue({ concurrency: model.concurrency, maxQueueSize: settings.maxQueueSize });
  let closed = false;
  // Checked before the model is asked anything: an unloaded model must not plan or tokenize.
  const open = () => {
    if (closed) throw unloading();
  };
  return {
    capabilities,
    info: () => model.info(),
    stats: () => queue.stats(),
    infer: () => Promise.reject(unsupported(model, 'tensors')),
    async predict(request, options) {
      if (!model.predict) throw unsupported(model, 'predict');
      open();
      return queue.run(await model.predict(request), options);
    },
    async embed(request, options) {
      if (!model.embed) throw unsupported(model, 'embeddings');
      open();
      return queue.run(await model.embed(request), options);
    },
    async *generate(request, options) {
      if (!model.generate) throw unsupported(model, 'generation');
      open();
      const work = await model.generate(request);
      // The deadline bounds the wait for a turn; the generation is bounded by its token budget.
      const lease = await queue.acquire(options);
      let run: GenerationRun;
      try {
        run = work(lease.signal);
      } catch (err) {
        lease.release();
        throw err;
      }
      // The turn ends when the generation gave back its sequence, whether or not anyone reads on.
      run.done.then(lease.release, lease.release);
      yield* run.events;
    },
    close: once(async () => {
      closed = true;
      await queue.close();
      await model.unload();
    }),
  };
}

function serveTensors(model: LoadedModel, settings: ServeSettings): ServedModel {
  if (!model.infer) throw new Error('a model with the tensors capability has no infer()');
  // The contract: a model that declares `tensors` reports ModelInfo.
  const tensors = model as unknown as TensorModel;
  const batcher = new DynamicBatcher(tensors, {
    ...settings.batching,
    maxQueueSize: settings.maxQueueSize,
    defaultTimeoutMs: settings.timeoutMs,
  });
  const pipeline: TaskPipeline | undefined = tensorTaskPipeline(settings.options, tensors.info(), batcher);
  const capabilities = new Set<Capability>(pipeline ? ['tensors', 'predict'] : ['tensors']);
  return {
    capabilities,
    info: (): ModelInfo => tensors.info(),
    stats: () => batcher.stats(),
    infer: (request, options) => batcher.submit(request, options),
    async predict(request, options) {
      if (!pipeline) throw unsupported(model, 'predict');
      const startedAt = performance.now();
      const value = await pipeline.run(request, options.signal);
      // Its tensor runs queue in the batcher; the pipeline's own time is decoding and labelling.
      return { value, queueMs: 0, computeMs: performance.now() - startedAt };
    },
    embed: () => Promise.reject(unsupported(model, 'embeddings')),
    // biome-ignore lint/correctness/useYield: refuses before the first event, as a generator must.
    async *generate() {
      throw unsupported(model, 'generation');
    },
    close: once(async () => {
      await batcher.close();
      await model.unload();
    }),
  };
}

function unsupported(model: LoadedModel, capability: Capability): AppError {
  return new AppError(
    'task_not_supported',
    `This model serves ${model.capabilities.join(', ')}, not ${capability}.`,
  );
}

/** Closing twice (a SIGTERM during shutdown, a test's cleanup) waits for the first close. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= close();
    return closing;
  };
}
