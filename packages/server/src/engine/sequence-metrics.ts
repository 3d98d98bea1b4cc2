import { Gauge, type Registry } from 'prom-client';
import type { RunnerStats } from '../wire/index.js';
import type { Engine } from './engine.js';

/**
 * Running and waiting sequences of every language-model instance, asked of the runners at scrape
 * time (they own the sequence pools); an instance that does not answer is left out.
 */
export function registerSequenceMetrics(registry: Registry, engine: Engine): void {
  const running = new Gauge({
    name: 'modelport_llm_sequences_running',
    help: 'Sequences generating now, per deployment',
    labelNames: ['model'],
    registers: [registry],
  });
  const waiting = new Gauge({
    name: 'modelport_llm_sequences_waiting',
    help: 'Requests waiting for a free sequence, per deployment',
    labelNames: ['model'],
    registers: [registry],
    async collect() {
      running.reset();
      waiting.reset();
      for (const pool of engine.activePools()) {
        if (pool.plan.backend !== 'llama') continue;
        const stats = await Promise.all(
          pool.instances.map(({ host }) =>
            host.connection
              ?.request('GET', '/v1/stats', { timeoutMs: 1000 })
              .then((res) => JSON.parse(res.body.toString('utf8')) as RunnerStats)
              .catch(() => undefined),
          ),
        );
        const labels = { model: pool.plan.name };
        running.set(
          labels,
          stats.reduce((n, s) => n + (s?.running ?? 0), 0),
        );
        waiting.set(
          labels,
          stats.reduce((n, s) => n + (s?.waiting ?? 0), 0),
        );
      }
    },
  });
}
