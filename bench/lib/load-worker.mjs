import { parentPort, workerData } from 'node:worker_threads';
import { inferClient } from './oip-client.mjs';

/**
 * Closed-loop inference load on its own thread, so the thread timing other requests never waits
 * behind this one's callbacks. Stops on any message and answers with what it did.
 */
const { url, key, model, body, headers, concurrency } = workerData;
const client = inferClient(url, key, concurrency);
const request = { body: Buffer.from(body), headers };
let stopped = false;
let count = 0;
let failure;
parentPort.once('message', () => {
  stopped = true;
});
const start = performance.now();
const loop = async () => {
  while (!stopped) {
    try {
      await client.infer(model, request);
      count++;
    } catch (err) {
      failure ??= String(err);
      stopped = true;
    }
  }
};
parentPort.postMessage({ type: 'started' });
await Promise.all(Array.from({ length: concurrency }, loop));
const elapsedS = (performance.now() - start) / 1000;
await client.close();
parentPort.postMessage({ type: 'done', count, elapsedS, failure });
