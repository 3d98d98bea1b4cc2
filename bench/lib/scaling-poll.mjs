import { performance } from 'node:perf_hooks';

/**
 * Reads a deployment's `scaling[]` every `intervalMs` until `stop()`, which resolves to the
 * samples: when (`performance.now()`), and the instances serving (`current`) and wanted
 * (`desired`), summed over its pools.
 */
export function pollScaling(api, name, intervalMs = 200) {
  const samples = [];
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      const next = performance.now() + intervalMs;
      const { scaling } = await api.deployment(name);
      samples.push({
        at: performance.now(),
        current: scaling.reduce((n, s) => n + s.current, 0),
        desired: scaling.reduce((n, s) => n + s.desired, 0),
        mode: scaling[0]?.lastDecision?.mode ?? null,
      });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  };
  const running = poll();
  return {
    async stop() {
      stopped = true;
      await running;
      return samples;
    },
  };
}

/**
 * What the samples show, timed in ms from `origin` (e.g. when the load stepped up): the most
 * instances serving, when the pool first served (and when the scaler first wanted) each count
 * above `from`, and the samples where either count changed.
 */
export function scalingSummary(polled, origin, from = 1) {
  const samples = polled.map(({ at, ...s }) => ({ atMs: Math.round(at - origin), ...s }));
  const reached = Math.max(from, ...samples.map((s) => s.current));
  const firstAt = {};
  const wantedAt = {};
  const wanted = Math.max(from, ...samples.map((s) => s.desired));
  for (let n = from + 1; n <= reached; n++) firstAt[n] = samples.find((s) => s.current >= n)?.atMs ?? null;
  for (let n = from + 1; n <= wanted; n++) wantedAt[n] = samples.find((s) => s.desired >= n)?.atMs ?? null;
  const changes = samples.filter(
    (s, i) => i === 0 || s.current !== samples[i - 1].current || s.desired !== samples[i - 1].desired,
  );
  return { reached, firstAt, wantedAt, changes };
}
