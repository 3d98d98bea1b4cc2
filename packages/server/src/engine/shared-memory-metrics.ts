import { Counter, type Registry } from 'prom-client';
import type { Engine } from './engine.js';

/** Tensor bytes moved between this process and its runners through shared memory, by direction. */
export function registerSharedMemoryMetrics(registry: Registry, engine: Engine): void {
  const seen = { toRunners: 0, fromRunners: 0 };
  new Counter({
    name: 'modelport_runner_shared_memory_bytes_total',
    help: 'Tensor bytes passed to (to_runner) and from (from_runner) runners through shared memory',
    labelNames: ['direction'],
    registers: [registry],
    collect() {
      const bytes = engine.sharedMemoryBytes ?? seen;
      this.inc({ direction: 'to_runner' }, bytes.toRunners - seen.toRunners);
      this.inc({ direction: 'from_runner' }, bytes.fromRunners - seen.fromRunners);
      seen.toRunners = bytes.toRunners;
      seen.fromRunners = bytes.fromRunners;
    },
  });
}
