import { Counter, Gauge, type Registry } from 'prom-client';
import type { FailoverState } from './failover-chains.js';

/** `/metrics` of failover chains: requests moved to the next deployment, cool-downs, who is cooling down. */
export function registerFailoverMetrics(registry: Registry, failover: FailoverState): void {
  const moves = new Counter({
    name: 'modelport_failover_total',
    help: 'Requests a failover chain moved from one deployment to the next, by reason (a catalog code, or cooling_down)',
    labelNames: ['from', 'to', 'reason'],
    registers: [registry],
  });
  const coolDowns = new Counter({
    name: 'modelport_failover_cool_downs_total',
    help: 'Times a deployment was taken out of failover chains: after failures, or for a Retry-After',
    labelNames: ['deployment', 'reason'],
    registers: [registry],
  });
  new Gauge({
    name: 'modelport_failover_cooled_down_deployments',
    help: 'Deployments failover chains skip now (cooling down)',
    registers: [registry],
    collect() {
      this.set(failover.cooling().length);
    },
  });
  failover.onMove((move) => moves.inc({ ...move }));
  failover.onCoolDown((event) => coolDowns.inc({ deployment: event.name, reason: event.reason }));
}
