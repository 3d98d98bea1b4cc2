import type { RolloutState } from '@modelport/contracts';
import { rolloutStateSchema } from '@modelport/contracts';
import { Gauge, type Registry } from 'prom-client';
import type { Engine, InstancePool } from '../../engine/index.js';
import { SeriesCounter, SeriesHistogram } from '../../observability/index.js';

/** What `/metrics` tells of rollouts and of each variant's traffic. */
export interface RolloutMetrics {
  /** A run changed state or share. */
  observe(deployment: string, run: { state: RolloutState; percent: number }): void;
  /** A request a variant's pool answered (`error`: failed by the server). */
  outcome(pool: InstancePool, ms: number, error: boolean): void;
}

export function createRolloutMetrics(registry: Registry, engine: Engine): RolloutMetrics {
  const state = new Gauge({
    name: 'modelport_rollout_state',
    help: 'The state of the latest rollout of each deployment (1 for the state it is in)',
    labelNames: ['deployment', 'state'],
    registers: [registry],
  });
  const percent = new Gauge({
    name: 'modelport_rollout_traffic_percent',
    help: 'Share of the traffic on the revision a rollout moves to',
    labelNames: ['deployment'],
    registers: [registry],
  });
  const requests = new SeriesCounter({
    name: 'modelport_variant_requests_total',
    help: 'Requests each variant answered, by fleet (current, or next during a rollout) and outcome',
    labelNames: ['deployment', 'variant', 'fleet', 'outcome'],
    registers: [registry],
  });
  const duration = new SeriesHistogram({
    name: 'modelport_variant_request_duration_seconds',
    help: 'Time a request held its variant runner (streams: until the last token)',
    labelNames: ['deployment', 'variant', 'fleet'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
    registers: [registry],
  });
  new Gauge({
    name: 'modelport_variant_weight_percent',
    help: 'Share of the traffic each variant takes now, rollout included (requests naming a variant aside)',
    labelNames: ['deployment', 'variant', 'fleet'],
    registers: [registry],
    collect() {
      this.reset();
      for (const pool of engine.activePools()) {
        const { deploymentId, name, variant, fleet = 'current' } = pool.plan;
        const rollout = engine.rollout(deploymentId);
        const split = fleet === 'next' ? rollout?.split : engine.split(deploymentId);
        const total = split?.weights.reduce((n, w) => n + w.weight, 0) ?? 0;
        const weight = split?.weights.find((w) => w.variant === variant)?.weight ?? (split ? 0 : 100);
        const fleetShare = rollout ? (fleet === 'next' ? rollout.percent : 100 - rollout.percent) : 100;
        const share = total > 0 ? (weight / total) * fleetShare : split ? 0 : fleetShare;
        this.set({ deployment: name, variant, fleet }, share);
      }
    },
  });
  // Children looked up once per pool: a request records without building label objects.
  const pools = new WeakMap<InstancePool, ReturnType<typeof poolSeries>>();
  const poolSeries = ({ plan }: InstancePool) => {
    const labels = [plan.name, plan.variant, plan.fleet ?? 'current'] as const;
    return {
      success: requests.series(...labels, 'success'),
      error: requests.series(...labels, 'error'),
      duration: duration.series(...labels),
    };
  };
  const seriesOf = (pool: InstancePool) => {
    let series = pools.get(pool);
    if (!series) {
      series = poolSeries(pool);
      pools.set(pool, series);
    }
    return series;
  };
  return {
    observe(deployment, run) {
      for (const s of rolloutStateSchema.options)
        state.set({ deployment, state: s }, s === run.state ? 1 : 0);
      percent.set({ deployment }, run.percent);
    },
    outcome(pool, ms, error) {
      const series = seriesOf(pool);
      (error ? series.error : series.success).inc();
      series.duration.observe(ms / 1000);
    },
  };
}
