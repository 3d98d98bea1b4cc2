import { GeneralChatWrapper, getLlama, LlamaLogLevel, resolveChatWrapper } from 'node-llama-cpp';
import type { LlmInfo } from '../../wire/index.js';
import {
  type LoadedModel,
  type LoadOptions,
  RUNTIME_SPEC_VERSION,
  type RuntimeBackend,
} from '../contract.js';
import { Embedder } from './embedder.js';
import { startGeneration } from './generate-events.js';
import { planGeneration } from './generation-plan.js';
import { parseLlamaOptions } from './llama-options.js';
import type { LlamaRuntime } from './llama-runtime.js';
import { SequencePool } from './sequence-pool.js';

export interface LlamaLoadOptions {
  path: string;
  threads: number;
  contextSize?: number | undefined;
  /** Sequences served at once from one context (continuous batching). */
  parallel: number;
  batchSize?: number | undefined;
  /** `auto` in production; tests pass `false`. */
  gpu: 'auto' | false;
}

const defaultContextCap = 4096;

/**
 * Loads a GGUF model for generation: prebuilt binaries only (never a compile or a download), and
 * explicit threads everywhere, since llama.cpp's defaults oversubscribe small machines badly.
 */
export async function loadLlm(options: LlamaLoadOptions): Promise<LoadedModel> {
  const llama = await getLlama({
    build: 'never',
    gpu: options.gpu,
    maxThreads: options.threads,
    logLevel: LlamaLogLevel.error,
  });
  try {
    const model = await llama.loadModel({
      modelPath: options.path,
      gpuLayers: options.gpu === false ? 0 : 'auto',
    });
    const context = await model.createContext({
      contextSize: options.contextSize ?? Math.min(model.trainContextSize, defaultContextCap),
      sequences: options.parallel,
      threads: options.threads,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
    const sequences = Array.from({ length: options.parallel }, () => context.getSequence());
    const rt: LlamaRuntime = {
      llama,
      model,
      context,
      chatWrapper: resolveChatWrapper(model) ?? new GeneralChatWrapper(),
      pool: new SequencePool(sequences),
      threads: options.threads,
    };
    return llamaModel(rt, options.parallel);
  } catch (err) {
    await llama.dispose();
    throw err;
  }
}

function llamaModel(rt: LlamaRuntime, parallel: number): LoadedModel {
  const embedder = new Embedder(rt);
  const metadata = rt.model.fileInfo.metadata;
  const info: LlmInfo = {
    architecture: metadata.general?.architecture ?? null,
    contextSize: rt.context.contextSize,
    trainContextSize: rt.model.trainContextSize,
    parallel,
    hasChatTemplate: typeof metadata.tokenizer?.chat_template === 'string',
    chatWrapper: rt.chatWrapper.wrapperName,
  };
  return {
    specificationVersion: RUNTIME_SPEC_VERSION,
    capabilities: ['generation', 'embeddings'],
    // One generation per sequence; embeddings take a turn like a generation does.
    concurrency: parallel,
    info: () => info,
    async generate(request) {
      const plan = await planGeneration(rt, request);
      return (signal) => startGeneration(rt, plan, signal);
    },
    embed: (request) => embedder.embed(request),
    unload: async () => {
      rt.pool.close();
      await embedder.close();
      await rt.context.dispose();
      await rt.model.dispose();
      await rt.llama.dispose();
    },
  };
}

/** Serves GGUF language models with llama.cpp (node-llama-cpp): generation and embeddings. */
export const llamaBackend: RuntimeBackend = {
  specificationVersion: RUNTIME_SPEC_VERSION,
  name: 'llama',
  load: ({ path, threads, options }: LoadOptions) =>
    loadLlm({ path, threads, ...parseLlamaOptions(options) }),
};
