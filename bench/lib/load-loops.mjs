import { performance } from 'node:perf_hooks';

/** Calls `fn` `n` times one after another; returns each call's latency in ms. */
export async function timeSequential(n, fn) {
  const latencies = new Array(n);
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    latencies[i] = performance.now() - start;
  }
  return latencies;
}

/**
 * `concurrency` loops each calling `fn` back to back until `durationMs` has passed (closed loop:
 * a loop sends its next request only after the previous answer, like a fixed pool of callers).
 */
export async function runLoops({ concurrency, durationMs, fn }) {
  const latencies = [];
  const start = performance.now();
  const deadline = start + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      await fn();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedS = (performance.now() - start) / 1000;
  return { latencies, count: latencies.length, elapsedS, perSecond: latencies.length / elapsedS };
}
