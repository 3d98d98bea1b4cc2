import type { ShadowReport } from '@modelport/sdk';
import { formatTable } from './format-table.js';
import { formatShare } from './format-variants.js';

/** `deployments shadows`: each shadow's copies, its latencies beside production's, output agreement. */
export function renderShadows(reports: readonly ShadowReport[]): string {
  const rows = reports.map((r) => [
    r.variant,
    formatShare(r.samplingPercent),
    String(r.sent),
    String(r.dropped),
    String(r.errors),
    versus(r.latencyP50, r.productionLatencyP50),
    versus(r.latencyP95, r.productionLatencyP95),
    `${r.identical}/${r.compared}`,
    r.meanAbsDiff === null ? '-' : formatFigure(r.meanAbsDiff),
  ]);
  return formatTable(
    [
      'VARIANT',
      'SAMPLED',
      'SENT',
      'DROPPED',
      'ERRORS',
      'P50 MS (PROD)',
      'P95 MS (PROD)',
      'IDENTICAL',
      'MEAN ABS DIFF',
    ],
    rows,
  );
}

/** `4.2 (3.9)`: the shadow's figure, production's in brackets; `-` for one not measured. */
function versus(shadow: number | null, production: number | null): string {
  const ms = (v: number | null) => (v === null ? '-' : formatFigure(v));
  return `${ms(shadow)} (${ms(production)})`;
}

/** Three significant digits: 12.3, 0.00012, 1.23e-7. */
export function formatFigure(value: number): string {
  return String(Number(value.toPrecision(3)));
}
