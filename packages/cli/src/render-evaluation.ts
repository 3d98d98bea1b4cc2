import { type Evaluation, figureOfMetric, type GuardrailMetric } from '@modelport/contracts';
import { formatTable } from './format-table.js';
import { formatTime } from './format-values.js';

const FIGURE_OF = figureOfMetric;

/** Always shown; time-to-first-token and inter-token latencies only where a side has them (LLMs). */
const ALWAYS: readonly GuardrailMetric[] = ['error_rate', 'latency_p50', 'latency_p95', 'latency_p99'];

/** The last evaluation: the new revision's figures beside the baseline's, then each rule's verdict. */
export function renderEvaluation(evaluation: Evaluation): string {
  const { canary, baseline } = evaluation;
  const metrics = (Object.keys(FIGURE_OF) as GuardrailMetric[]).filter(
    (m) => ALWAYS.includes(m) || canary[FIGURE_OF[m]] !== null || baseline[FIGURE_OF[m]] !== null,
  );
  const figures = formatTable(
    ['METRIC', 'CANARY', 'BASELINE'],
    [
      ['requests', String(canary.requests), String(baseline.requests)],
      ['errors', String(canary.errors), String(baseline.errors)],
      ...metrics.map((m) => [
        m,
        formatMetric(m, canary[FIGURE_OF[m]]),
        formatMetric(m, baseline[FIGURE_OF[m]]),
      ]),
    ],
  );
  const lines = [
    `last evaluation ${formatTime(evaluation.at)}: ${evaluation.outcome}` +
      ` (${evaluation.consecutiveBreaches} breach${evaluation.consecutiveBreaches === 1 ? '' : 'es'} in a row)`,
    figures,
  ];
  if (evaluation.rules.length > 0) {
    const rows = evaluation.rules.map((r) => [
      r.metric,
      formatMetric(r.metric, r.value),
      formatMetric(r.metric, r.baseline),
      formatMetric(r.metric, r.threshold),
      r.outcome,
    ]);
    lines.push('', formatTable(['RULE', 'CANARY', 'BASELINE', 'LIMIT', 'OUTCOME'], rows));
  }
  return lines.join('\n');
}

/** Error rates as percentages, latencies in milliseconds, "-" without samples. */
export function formatMetric(metric: GuardrailMetric, value: number | null): string {
  if (value === null) return '-';
  if (metric === 'error_rate') return `${round(value * 100, 2)}%`;
  return `${round(value, 1)} ms`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
