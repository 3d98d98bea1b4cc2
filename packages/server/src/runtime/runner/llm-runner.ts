import type { FastifyInstance } from 'fastify';
import type { LlmInfo } from '../../wire/index.js';
import type { RunnerSpec } from '../../wire/runner/index.js';
import { loadLlm } from '../llama/index.js';
import { listenOn } from './listen-on.js';
import { parseLlmRunnerOptions } from './llm-runner-options.js';
import { buildLlmRunnerServer } from './llm-server.js';

export type LlmRunnerSpec = Pick<
  RunnerSpec,
  'listen' | 'modelPath' | 'threads' | 'maxQueueSize' | 'timeoutMs' | 'options' | 'maxBodyBytes'
>;

export interface LlmRunner {
  server: FastifyInstance;
  info: LlmInfo;
  /** Stops accepting, lets running streams finish, then frees the model. */
  stop(): Promise<void>;
}

/**
 * A llama runner serving on `spec.listen`: loads the GGUF (threads from the CPU budget, context
 * and sequences from `spec.options`), then listens. `spec.timeoutMs` bounds the wait for a free
 * sequence (504 after it); generation itself is bounded by `maxTokens` and the context.
 */
export async function startLlmRunner(spec: LlmRunnerSpec): Promise<LlmRunner> {
  const options = parseLlmRunnerOptions(spec.options);
  const llm = await loadLlm({
    path: spec.modelPath,
    threads: spec.threads,
    parallel: options.parallel,
    maxQueueSize: spec.maxQueueSize,
    queueTimeoutMs: spec.timeoutMs,
    gpu: options.gpu,
    ...(options.contextSize === undefined ? {} : { contextSize: options.contextSize }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  });
  const server = buildLlmRunnerServer(spec, llm);
  try {
    await listenOn(server, spec.listen);
  } catch (err) {
    await llm.unload();
    throw err;
  }
  return {
    server,
    info: llm.info(),
    stop: async () => {
      await server.close();
      await llm.unload();
    },
  };
}
