import { GeneralChatWrapper, getLlama, LlamaLogLevel, resolveChatWrapper } from 'node-llama-cpp';
import type { LlmInfo, LlmLoadOptions, LoadedLlm } from '../../wire/index.js';
import { Embedder } from './embedder.js';
import { generateEvents } from './generate-events.js';
import type { LlamaRuntime } from './llama-runtime.js';
import { SequencePool } from './sequence-pool.js';

export interface LlamaLoadOptions extends LlmLoadOptions {
  /** How long a request may wait for a free sequence before 504 `deadline_exceeded`. */
  queueTimeoutMs?: number;
}

const defaultContextCap = 4096;

/**
 * Loads a GGUF model for generation: prebuilt binaries only (never a compile or a download), and
 * explicit threads everywhere, since llama.cpp's defaults oversubscribe small machines badly.
 */
export async function loadLlm(options: LlamaLoadOptions): Promise<LoadedLlm> {
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
      pool: new SequencePool(sequences, options.maxQueueSize, options.queueTimeoutMs),
      threads: options.threads,
    };
    return loadedLlm(rt, options.parallel);
  } catch (err) {
    await llama.dispose();
    throw err;
  }
}

function loadedLlm(rt: LlamaRuntime, parallel: number): LoadedLlm {
  const embedder = new Embedder(rt);
  const stats = () => ({ running: parallel - rt.pool.idle, waiting: rt.pool.waiting });
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
    info: () => info,
    generate: (request, signal) => generateEvents(rt, request, signal),
    embed: (request, signal) => embedder.embed(request, signal),
    stats,
    unload: async () => {
      rt.pool.close();
      await embedder.close();
      await rt.context.dispose();
      await rt.model.dispose();
      await rt.llama.dispose();
    },
  };
}
