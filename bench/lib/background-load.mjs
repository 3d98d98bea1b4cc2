import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** Starts `concurrency` inference loops in a worker thread; `stop()` resolves to their req/s. */
export async function startBackgroundLoad({ url, key, model, request, concurrency }) {
  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
    workerData: { url, key, model, body: request.body, headers: request.headers, concurrency },
  });
  const done = new Promise((resolve, reject) => {
    worker.on('message', (msg) => {
      if (msg.type === 'done') resolve(msg);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`load worker exited (code ${code}) before reporting`)));
  });
  await once(worker, 'message');
  return {
    async stop() {
      worker.postMessage('stop');
      const { count, elapsedS, failure } = await done;
      if (failure) throw new Error(`background load failed: ${failure}`);
      return { count, perSecond: count / elapsedS };
    },
  };
}
