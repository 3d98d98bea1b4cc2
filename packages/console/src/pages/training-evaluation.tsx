import type { TrainingResult } from '../api/types.js';
import { ScrollTable } from '../components/scroll-table.js';
import { flatten, leafText } from '../format/flatten.js';

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
        answers <code>{leafText(result.baseline.predicts ?? '—')}</code>.
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
                  {leafText(model)}
                  {m === result.metric && better ? ' ✓ better' : ''}
                </td>
                <td className="num mono">{base === undefined ? '—' : leafText(base)}</td>
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

export function TrainingSpec({ spec }: { spec: Record<string, unknown> }) {
  const rows = flatten(spec);
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
