import { Counter, Histogram, type Registry } from 'prom-client';
import type { Engine } from './engine.js';

/** Loads of an unloaded (scaled to zero or evicted) deployment for its waiting requests. */
export function registerColdStartMetrics(registry: Registry, engine: Engine): void {
  const count = new Counter({
    name: 'modelport_cold_starts_total',
    help: 'Loads of an unloaded deployment for requests held meanwhile',
    labelNames: ['deployment'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'modelport_cold_start_duration_seconds',
    help: 'From the first held request to the deployment ready again',
    labelNames: ['deployment'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  engine.onColdStart((deployment, ms) => {
    count.inc({ deployment });
    duration.observe({ deployment }, ms / 1000);
  });
}
