import type { TrainingResult } from '../api/types.js';
import { ScrollTable } from '../components/scroll-table.js';

function show(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The trained model against the trivial baseline on the same held-out rows, and the export's parity. */
export function TrainingEvaluation({ result }: { result: TrainingResult }) {
  const names = Object.keys(result.metrics);
  const lowerIsBetter = result.metric === 'mae';
  return (
    <section className="card stack" aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">Evaluation against the baseline</h2>
      <p className="muted">
        On the {result.evaluatedOn.split} split ({result.evaluatedOn.rows} rows); {result.epochsRun} epochs
        run, weights of epoch {result.bestEpoch} kept ({result.stoppedBy.replace('_', ' ')}). The baseline
        answers <code>{show(result.baseline.predicts ?? '—')}</code>.
      </p>
      <ScrollTable label="Evaluation">
        <caption>Evaluation</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" className="num">
              Model
            </th>
            <th scope="col" className="num">
              Baseline
            </th>
          </tr>
        </thead>
        <tbody>
          {names.map((m) => {
            const model = result.metrics[m];
            const base = result.baseline[m];
            const better =
              typeof base === 'number' &&
              model !== undefined &&
              (lowerIsBetter ? model < base : model > base);
            return (
              <tr key={m} data-testid="evaluation-row">
                <th scope="row">
                  {m}
                  {m === result.metric ? ' (main)' : ''}
                </th>
                <td className="num mono">
                  {show(model)}
                  {m === result.metric && better ? ' ✓ better' : ''}
                </td>
                <td className="num mono">{base === undefined ? '—' : show(base)}</td>
              </tr>
            );
          })}
        </tbody>
      </ScrollTable>
      <p>
        ONNX export parity: max |difference| {result.parity.maxAbsDiff.toExponential(2)} over{' '}
        {result.parity.rows} rows (tolerance {result.parity.tolerance}) —{' '}
        {result.parity.passed ? 'passed' : 'failed'}.
      </p>
    </section>
  );
}

/** Leaves of the spec as `a.b.c = value` rows: the hyperparameters as run, defaults included. */
function flatten(value: unknown, prefix: string, out: [string, string][]): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.push([prefix, show(value)]);
  }
  return out;
}

export function TrainingSpec({ spec }: { spec: Record<string, unknown> }) {
  const rows = flatten(spec, '', []);
  return (
    <section className="card" aria-labelledby="spec-title">
      <h2 id="spec-title">Hyperparameters and spec</h2>
      <ScrollTable label="Spec">
        <caption>The spec as validated, defaults filled in</caption>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row" className="mono">
                {k}
              </th>
              <td className="mono">{v}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </section>
  );
}
