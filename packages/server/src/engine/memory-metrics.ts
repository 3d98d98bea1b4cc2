import { Counter, Gauge, type Registry } from 'prom-client';
import type { Engine } from './engine.js';

/** The memory budget in /metrics: what each instance holds (read at scrape time), the budget, evictions. */
export function registerMemoryMetrics(registry: Registry, engine: Engine): void {
  new Gauge({
    name: 'modelport_instance_memory_bytes',
    help: 'Memory of each runner instance (resident where measured, else estimated), per deployment',
    labelNames: ['model', 'version', 'instance'],
    registers: [registry],
    collect() {
      this.reset();
      for (const pool of engine.activePools()) {
        for (const [index, { host }] of pool.instances.entries()) {
          this.set(
            { model: pool.plan.name, version: String(pool.plan.version), instance: String(index) },
            host.memoryBytes(pool.plan.instanceBytes),
          );
        }
      }
    },
  });
  new Gauge({
    name: 'modelport_memory_used_bytes',
    help: 'Memory of every running, starting and draining runner instance together',
    registers: [registry],
    collect() {
      this.set(engine.usedBytes());
    },
  });
  new Gauge({
    name: 'modelport_memory_budget_bytes',
    help: 'Memory runner instances may hold together (limits.memoryBudgetBytes)',
    registers: [registry],
    collect() {
      this.set(engine.memoryBudgetBytes);
    },
  });
  const evictions = new Counter({
    name: 'modelport_memory_evictions_total',
    help: 'Deployments unloaded to fit the memory budget, per deployment',
    labelNames: ['model'],
    registers: [registry],
  });
  engine.onEviction((name) => evictions.inc({ model: name }));
}
