import type { FastifyInstance } from 'fastify';
import type { RunnerSpec } from '../../wire/runner/index.js';
import {
  InferenceQueue,
  loadTaskModel,
  parseTransformersOptions,
  type TaskInfo,
} from '../transformers/index.js';
import { listenOn } from './listen-on.js';
import { buildTransformersServer } from './transformers-server.js';

export type TransformersRunnerSpec = Pick<
  RunnerSpec,
  'listen' | 'modelPath' | 'threads' | 'maxQueueSize' | 'timeoutMs' | 'options' | 'maxBodyBytes'
>;

export interface TransformersRunner {
  server: FastifyInstance;
  info: TaskInfo;
  /** Stops accepting, fails waiting requests (503), lets the running one finish, then frees the model. */
  stop(): Promise<void>;
}

/**
 * A transformers.js runner serving on `spec.listen`: loads the folder at `spec.modelPath` for
 * `spec.options.task` (local files only, `spec.threads` onnxruntime threads, no spin-waiting), runs
 * one inference at a time with up to `spec.maxQueueSize` waiting, each bounded by `spec.timeoutMs`.
 */
export async function startTransformersRunner(spec: TransformersRunnerSpec): Promise<TransformersRunner> {
  const options = parseTransformersOptions(spec.options);
  const model = await loadTaskModel({ folder: spec.modelPath, options, threads: spec.threads });
  const queue = new InferenceQueue(spec.maxQueueSize);
  const server = buildTransformersServer(spec, model, queue);
  try {
    await listenOn(server, spec.listen);
  } catch (err) {
    await model.dispose();
    throw err;
  }
  return {
    server,
    info: model.info,
    stop: async () => {
      await queue.close();
      await server.close();
      await model.dispose();
    },
  };
}
