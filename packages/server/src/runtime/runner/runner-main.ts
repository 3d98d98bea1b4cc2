import { isAppError } from '../../platform/errors/index.js';
import { runnerSpecSchema } from '../../wire/runner/index.js';
import { backendNamed } from '../backends.js';
import { listenOn } from './listen-on.js';
import { buildRunnerServer } from './runner-server.js';
import { serveModel } from './served-model.js';

/**
 * Entry of a runner process, the same for every backend: load one model instance, put it behind
 * its queue, serve it (Unix socket or TCP), report readiness to the supervisor over IPC when there
 * is one, and exit as soon as that parent is gone (even after a SIGKILL, the IPC channel closes
 * and `disconnect` fires). Without IPC (a runner on another host) it runs until SIGTERM.
 */
async function main(): Promise<void> {
  const spec = runnerSpecSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  process.on('disconnect', () => process.exit(0));
  if (spec.backend === 'onnx') await limitImageThreads(spec.threads);
  const backend = await backendNamed(spec.backend);
  const model = serveModel(
    await backend.load({ path: spec.modelPath, threads: spec.threads, options: spec.options }),
    spec,
  );
  const server = await buildRunnerServer(spec, model);
  try {
    await listenOn(server, spec.listen);
  } catch (err) {
    await model.close();
    throw err;
  }
  process.send?.({ type: 'ready', info: model.info() });
  process.on('SIGTERM', async () => {
    await server.close();
    await model.close();
    process.exit(0);
  });
}

/** Image decoding shares the runner's thread budget; sharp would otherwise use every core. */
async function limitImageThreads(threads: number): Promise<void> {
  const sharp = (await import('sharp')).default;
  sharp.concurrency(threads);
  sharp.cache(false);
}

main().catch((err: unknown) => {
  // The catalog code travels too, so the API answers a refused config as such, not as a bad artifact.
  const named = isAppError(err) ? { code: err.code, ...(err.param ? { param: err.param } : {}) } : {};
  process.send?.({ type: 'failed', message: err instanceof Error ? err.message : String(err), ...named });
  process.stderr.write(`runner failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
