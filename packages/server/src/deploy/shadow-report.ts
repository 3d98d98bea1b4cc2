import type { ShadowReport } from '@modelport/contracts';
import { Counter, type Registry } from 'prom-client';
import type { Principal } from '../auth/index.js';
import type { Engine, ServingPlan } from '../engine/index.js';
import { OutcomeWindow } from './rollouts/outcome-window.js';
import type { DeploymentService } from './service.js';
import { parseVariants } from './variants.js';

/** Latency percentiles of a report cover this much of the recent past. */
const LATENCY_WINDOW_MS = 5 * 60_000;

/** What one shadow pool did since its plan started serving (a new revision changing it, a new plan). */
interface ShadowStats {
  sent: number;
  dropped: number;
  errors: number;
  compared: number;
  identical: number;
  absDiffSum: number;
  absDiffCount: number;
  shadow: OutcomeWindow;
  production: OutcomeWindow;
}

function freshStats(): ShadowStats {
  return {
    ...{ sent: 0, dropped: 0, errors: 0, compared: 0, identical: 0, absDiffSum: 0, absDiffCount: 0 },
    shadow: new OutcomeWindow(LATENCY_WINDOW_MS),
    production: new OutcomeWindow(LATENCY_WINDOW_MS),
  };
}

/**
 * Compares each shadow with production from the engine's shadow events: counts, latencies over
 * the last 5 minutes and output agreement, per shadow plan. A plan is what a revision serves, so
 * a revision that changes a shadow (version, settings, samplingPercent) starts its figures anew.
 */
export function createShadowReports(deps: {
  engine: Engine;
  deployments: DeploymentService;
  registry: Registry;
}) {
  const { engine, deployments } = deps;
  const stats = new WeakMap<ServingPlan, ShadowStats>();
  const metrics = shadowMetrics(deps.registry);

  function statsOf(plan: ServingPlan): ShadowStats {
    let found = stats.get(plan);
    if (!found) {
      found = freshStats();
      stats.set(plan, found);
    }
    return found;
  }

  engine.onShadowEvent((event) => {
    const { plan } = event.shadow;
    const s = statsOf(plan);
    const labels = { deployment: plan.name, variant: plan.variant };
    if (event.kind !== 'answered') {
      s[event.kind]++;
      metrics.requests.inc({ ...labels, outcome: event.kind });
      return;
    }
    const at = Date.now();
    s.shadow.record({ at, error: event.error, latencyMs: event.shadowMs });
    s.production.record({ at, error: false, latencyMs: event.productionMs });
    if (event.error) {
      s.errors++;
      metrics.requests.inc({ ...labels, outcome: 'error' });
    }
    const { agreement } = event;
    if (!agreement) return;
    s.compared++;
    metrics.compared.inc(labels);
    s.absDiffSum += agreement.absDiffSum;
    s.absDiffCount += agreement.absDiffCount;
    if (!agreement.identical) return;
    s.identical++;
    metrics.identical.inc(labels);
  });

  return {
    /** Every shadow of the revision a deployment serves, with what it did so far. */
    async report(p: Principal, name: string): Promise<ShadowReport[]> {
      const row = await deployments.requireDeployment(p, name);
      const pools = engine.shadowPools(row.id);
      return parseVariants(row.variants)
        .filter((v) => v.role === 'shadow')
        .map((v) => {
          const plan = pools.find((pool) => pool.plan.variant === v.name)?.plan;
          return reportOf(v.name, v.samplingPercent ?? 100, plan ? statsOf(plan) : freshStats());
        });
    },
  };
}

export type ShadowReports = ReturnType<typeof createShadowReports>;

function reportOf(variant: string, samplingPercent: number, s: ShadowStats): ShadowReport {
  const now = Date.now();
  const shadow = s.shadow.figures(now);
  const production = s.production.figures(now);
  return {
    variant,
    samplingPercent,
    sent: s.sent,
    dropped: s.dropped,
    errors: s.errors,
    latencyP50: shadow.latencyP50,
    latencyP95: shadow.latencyP95,
    productionLatencyP50: production.latencyP50,
    productionLatencyP95: production.latencyP95,
    compared: s.compared,
    identical: s.identical,
    meanAbsDiff: s.absDiffCount === 0 ? null : s.absDiffSum / s.absDiffCount,
  };
}

function shadowMetrics(registry: Registry) {
  const labelNames = ['deployment', 'variant'] as const;
  return {
    requests: new Counter({
      name: 'modelport_shadow_requests_total',
      help: 'Copies of production requests per shadow variant: sent, dropped (bound in flight reached), error (5xx, timeout)',
      labelNames: [...labelNames, 'outcome'],
      registers: [registry],
    }),
    compared: new Counter({
      name: 'modelport_shadow_outputs_compared_total',
      help: 'Shadow answers compared with production answers (both answered)',
      labelNames,
      registers: [registry],
    }),
    identical: new Counter({
      name: 'modelport_shadow_output_identical_total',
      help: 'Shadow answers identical to production (tensors: same bytes; JSON: deep equality)',
      labelNames,
      registers: [registry],
    }),
  };
}
