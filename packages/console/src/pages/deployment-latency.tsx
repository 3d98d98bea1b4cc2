import { lazy, Suspense, useMemo } from 'react';
import { ErrorNotice } from '../components/notice.js';
import { formatMs } from '../format/numbers.js';
import { useLedgerWindow } from '../live/use-ledger-window.js';
import { latencySeries, windowFigures } from '../live/window-figures.js';

// uPlot loads with the first chart, not with the console.
const LatencyChart = lazy(() => import('../components/latency-chart.js'));

const WINDOW_MS = 5 * 60_000;
const BUCKET_MS = 10_000;

/** Latency of the deployment's requests over the last five minutes, from the usage ledger. */
export function DeploymentLatency({ name }: { name: string }) {
  const ledger = useLedgerWindow(WINDOW_MS, true);
  const rows = useMemo(
    () => ledger.data?.rows.filter((r) => r.deployment === name) ?? [],
    [ledger.data, name],
  );
  const series = useMemo(
    () =>
      latencySeries(rows, { now: ledger.data?.now ?? Date.now(), windowMs: WINDOW_MS, bucketMs: BUCKET_MS }),
    [rows, ledger.data],
  );
  const f = windowFigures(rows, WINDOW_MS);
  const requests = `${f.requests} request${f.requests === 1 ? '' : 's'}`;
  const summary = `${requests} in the last 5 minutes; p50 ${formatMs(f.p50)}, p95 ${formatMs(f.p95)}`;
  return (
    <section className="card" aria-labelledby="latency-title">
      <h2 id="latency-title">Latency</h2>
      {ledger.error ? <ErrorNotice error={ledger.error} action="read the usage ledger" /> : null}
      <p className="muted" data-testid="latency-summary">
        {summary} (per 10 s, start to finish, polled every 3 s).
      </p>
      <Suspense fallback={<p>Loading the chart…</p>}>
        <LatencyChart data={series} label={`Latency of ${name}: ${summary}`} />
      </Suspense>
    </section>
  );
}
