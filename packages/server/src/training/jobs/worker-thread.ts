import { Worker } from 'node:worker_threads';

export type ThreadEnd<M> =
  | { kind: 'message'; message: M }
  | { kind: 'exit'; why: string; outOfMemory: boolean };

export interface WorkerThread<M> {
  /** The first final message, or how the thread ended without one. */
  readonly ended: Promise<ThreadEnd<M>>;
  post(message: unknown): void;
  terminate(): Promise<void>;
}

/**
 * Runs a compiled worker entry in a worker thread with a bounded heap, passing each message to
 * `onMessage` until one is final (`isFinal`); the thread is then ended. The API process's event
 * loop only relays messages: the work happens on the thread.
 */
export function startWorkerThread<M>(
  entry: string,
  workerData: unknown,
  options: {
    maxMemoryMb: number;
    onMessage: (message: M) => void;
    isFinal: (message: M) => boolean;
  },
): WorkerThread<M> {
  const worker = new Worker(entry, {
    workerData,
    // Not the parent's flags (a test runner's loaders); its own heap bound.
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb },
    stdout: false,
    stderr: false,
  });
  const ended = new Promise<ThreadEnd<M>>((resolve) => {
    worker.on('message', (message: M) => {
      options.onMessage(message);
      if (!options.isFinal(message)) return;
      resolve({ kind: 'message', message });
      void worker.terminate();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      resolve({ kind: 'exit', why: err.message, outOfMemory });
    });
    worker.on('exit', (code) =>
      resolve({ kind: 'exit', why: `the worker exited with code ${code}`, outOfMemory: false }),
    );
  });
  return {
    ended,
    post: (message) => worker.postMessage(message),
    terminate: async () => {
      await worker.terminate();
    },
  };
}
