import { performance } from 'node:perf_hooks';
import { timeSequential } from './load-loops.mjs';
import { percentile, round } from './percentiles.mjs';
import { sampleValue } from './prometheus.mjs';

const POLL_MS = 100;

/** Polls `GET /api/v1/deployments/{name}` until the deployment has scaled to zero. */
export async function waitUnloaded(api, name, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await api.deployment(name)).status === 'unloaded') return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`deployment '${name}' did not scale to zero in ${timeoutMs / 1000} s`);
}

/**
 * `runs` cold starts of a deployment that scales to zero: each waits until it is unloaded, then
 * times `send` (one request, resolved once its whole answer is read). Right after the last, while
 * the deployment is loaded, the same request `warmRuns` times, for scale.
 */
export async function measureColdStarts(api, name, send, { runs = 3, warmRuns = 5 } = {}) {
  const coldMs = [];
  for (let i = 0; i < runs; i++) {
    await waitUnloaded(api, name);
    const start = performance.now();
    await send();
    coldMs.push(performance.now() - start);
  }
  const warmMs = await timeSequential(warmRuns, send);
  return {
    coldMs: coldMs.map((ms) => round(ms, 1)),
    warmMs: warmMs.map((ms) => round(ms, 1)),
    coldMedianMs: round(percentile(coldMs, 50), 1),
    warmMedianMs: round(percentile(warmMs, 50), 1),
  };
}

/** The server's own count and total of a deployment's cold starts (`/metrics`), and their mean. */
export function coldStartMetric(metricsText, deployment) {
  const name = 'modelport_cold_start_duration_seconds';
  const sumS = sampleValue(metricsText, `${name}_sum`, { deployment });
  const count = sampleValue(metricsText, `${name}_count`, { deployment });
  return { sumS: round(sumS), count, meanMs: count > 0 ? round((sumS * 1000) / count, 1) : Number.NaN };
}
