import { type RunnerSpec, runnerSpecSchema } from '../../wire/runner/index.js';
import { backendNamed } from '../backends.js';
import { DynamicBatcher } from '../batching/index.js';
import { listenOn } from './listen-on.js';
import { startLlmRunner } from './llm-runner.js';
import { buildRunnerServer } from './runner-server.js';
import { startTransformersRunner } from './transformers-runner.js';

interface StartedRunner {
  info: unknown;
  stop(): Promise<void>;
}

/**
 * Entry of a runner process: load one model instance, serve it on a Unix socket, report readiness
 * to the supervisor over IPC, and exit as soon as the parent is gone (even after a SIGKILL, the
 * IPC channel closes and `disconnect` fires).
 */
async function main(): Promise<void> {
  const spec = runnerSpecSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  process.on('disconnect', () => process.exit(0));
  const runner =
    spec.backend === 'llama'
      ? await startLlmRunner(spec)
      : spec.backend === 'transformers'
        ? await startTransformersRunner(spec)
        : await startTensorRunner(spec);
  process.send?.({ type: 'ready', info: runner.info });
  process.on('SIGTERM', async () => {
    await runner.stop();
    process.exit(0);
  });
}

async function startTensorRunner(spec: RunnerSpec): Promise<StartedRunner> {
  // Image decoding shares the runner's thread budget; sharp would otherwise use every core.
  const sharp = (await import('sharp')).default;
  sharp.concurrency(spec.threads);
  sharp.cache(false);
  const model = await backendNamed(spec.backend).load({
    path: spec.modelPath,
    threads: spec.threads,
    options: spec.options,
  });
  const batcher = new DynamicBatcher(model, {
    maxBatchSize: spec.batching.maxBatchSize,
    maxQueueDelayMs: spec.batching.maxQueueDelayMs,
    ...(spec.batching.preferredBatchSizes ? { preferredBatchSizes: spec.batching.preferredBatchSizes } : {}),
    maxQueueSize: spec.maxQueueSize,
    defaultTimeoutMs: spec.timeoutMs,
  });
  const info = model.info();
  const server = buildRunnerServer(spec, info, batcher);
  await listenOn(server, spec.listen);
  return {
    info,
    async stop() {
      await batcher.drain();
      await server.close();
      await model.unload();
    },
  };
}

main().catch((err: unknown) => {
  process.send?.({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.stderr.write(`runner failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
