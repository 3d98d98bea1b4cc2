import { isAppError } from '../../platform/errors/index.js';
import {
  RUNNER_STANDBY_ARG,
  type RunnerSpec,
  runnerSpecSchema,
  type StandingByMessage,
  type TakeMessage,
} from '../../wire/runner/index.js';
import { backendNamed } from '../backends.js';
import { startRunner } from './start-runner.js';

/**
 * Entry of a runner process, the same for every backend: load one model instance, put it behind
 * its queue, serve it (Unix socket or TCP), report readiness to the supervisor over IPC when there
 * is one, and exit as soon as that parent is gone (even after a SIGKILL, the IPC channel closes
 * and `disconnect` fires). Without IPC (a runner on another host) it runs until SIGTERM.
 */
async function main(): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const spec = await specOf(process.argv[2]);
  if (spec.backend === 'onnx') await limitImageThreads(spec.threads);
  const { model, close } = await startRunner(spec, process.ppid);
  process.send?.({ type: 'ready', info: model.info() });
  process.on('SIGTERM', async () => {
    await close();
    await model.close();
    process.exit(0);
  });
}

/**
 * The spec from the command line, or, for a spare, from the supervisor once it takes this process:
 * by then the code every runner needs (this file's imports, the ONNX backend) is loaded.
 */
async function specOf(arg: string | undefined): Promise<RunnerSpec> {
  if (arg !== RUNNER_STANDBY_ARG) return runnerSpecSchema.parse(JSON.parse(arg ?? '{}'));
  await Promise.all([backendNamed('onnx'), import('sharp')]);
  const taken = new Promise<unknown>((resolve) => {
    const onMessage = (msg: Partial<TakeMessage>) => {
      if (msg.type !== 'take') return;
      process.off('message', onMessage);
      resolve(msg.spec);
    };
    process.on('message', onMessage);
  });
  process.send?.({ type: 'standing_by' } satisfies StandingByMessage);
  return runnerSpecSchema.parse(await taken);
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
