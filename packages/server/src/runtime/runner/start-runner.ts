import type { RunnerSpec } from '../../wire/runner/index.js';
import { backendNamed } from '../backends.js';
import { frameAcceptor } from './frame-acceptor.js';
import { listenOn } from './listen-on.js';
import { buildRunnerServer } from './runner-server.js';
import { type ServedModel, serveModel } from './served-model.js';

/**
 * What a runner process and a runner thread both do first: load the model instance the spec names,
 * put it behind its queue and serve it where the spec says (frames and HTTP on a Unix socket, HTTP
 * on TCP). Shared memory regions belong to `regionOwner`, the API process. A listen that fails
 * unloads the model before the error goes on.
 */
export async function startRunner(
  spec: RunnerSpec,
  regionOwner: number,
): Promise<{ model: ServedModel; close: () => Promise<void> }> {
  const backend = await backendNamed(spec.backend);
  const model = serveModel(
    await backend.load({ path: spec.modelPath, threads: spec.threads, options: spec.options }),
    spec,
  );
  const server = await buildRunnerServer(spec, model);
  try {
    const close = await listenOn(server, spec.listen, frameAcceptor(spec, model, regionOwner));
    return { model, close };
  } catch (err) {
    await model.close();
    throw err;
  }
}
