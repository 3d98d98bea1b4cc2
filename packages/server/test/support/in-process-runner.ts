import type { FastifyInstance } from 'fastify';
import { backendNamed } from '../../src/runtime/backends.js';
import { listenOn } from '../../src/runtime/runner/listen-on.js';
import { buildRunnerServer } from '../../src/runtime/runner/runner-server.js';
import { type ServedModel, serveModel } from '../../src/runtime/runner/served-model.js';
import type { RunnerInfo } from '../../src/wire/index.js';
import type { RunnerSpec } from '../../src/wire/runner/index.js';

export type InProcessSpec = Pick<
  RunnerSpec,
  'backend' | 'modelPath' | 'threads' | 'maxQueueSize' | 'timeoutMs'
> &
  Partial<Omit<RunnerSpec, 'backend' | 'modelPath' | 'threads' | 'maxQueueSize' | 'timeoutMs'>>;

export interface InProcessRunner {
  server: FastifyInstance;
  info: RunnerInfo;
  served: ServedModel;
  /** Closes the server, lets running work end, then frees the model. */
  stop(): Promise<void>;
}

/**
 * What a runner process does (load the backend's model, put it behind its queue, serve it), inside
 * the test process, so tests can `inject` requests or listen on a socket of their own.
 */
export async function startInProcessRunner(spec: InProcessSpec): Promise<InProcessRunner> {
  const full = {
    modelName: 'm',
    modelVersion: '1',
    options: {},
    batching: { maxBatchSize: 1, maxQueueDelayMs: 0 },
    maxBodyBytes: 64 * 1024 * 1024,
    ...spec,
  };
  const backend = await backendNamed(full.backend);
  const served = serveModel(
    await backend.load({ path: full.modelPath, threads: full.threads, options: full.options }),
    full,
  );
  const server = await buildRunnerServer(full, served);
  try {
    if (full.listen) await listenOn(server, full.listen);
    else await server.ready();
  } catch (err) {
    await served.close();
    throw err;
  }
  return {
    server,
    info: served.info(),
    served,
    async stop() {
      await server.close();
      await served.close();
    },
  };
}
