import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { api, call } from '../api/client.js';
import type { LineSeries } from '../components/line-chart.js';
import { ErrorNotice } from '../components/notice.js';

// uPlot loads with the first chart, not with the console.
const LineChart = lazy(() => import('../components/line-chart.js'));

type Point = Awaited<ReturnType<typeof fetchSeries>>['points'][number];

function fetchSeries(name: string) {
  return call(api.GET('/api/v1/deployments/{name}/series', { params: { path: { name } } }));
}

interface Panel {
  title: string;
  unit: string;
  series: [label: string, pick: (p: Point) => number | null, dashed?: boolean][];
}

const panels: Panel[] = [
  {
    title: 'Requests and errors',
    unit: 'per s',
    series: [
      ['requests/s', (p) => p.requestsPerSecond],
      ['errors/s', (p) => p.errorsPerSecond, true],
    ],
  },
  {
    title: 'Queue and compute',
    unit: 'ms',
    series: [
      ['queue mean', (p) => p.queueMsMean],
      ['queue p95', (p) => p.queueMsP95, true],
      ['compute p50', (p) => p.computeMsP50],
      ['compute p95', (p) => p.computeMsP95, true],
    ],
  },
  { title: 'Batch size', unit: 'rows', series: [['mean batch', (p) => p.batchSizeMean]] },
  {
    title: 'Time to first token',
    unit: 'ms',
    series: [
      ['TTFT p50', (p) => p.ttftMsP50],
      ['TTFT p95', (p) => p.ttftMsP95, true],
    ],
  },
  { title: 'Tokens generated', unit: 'per s', series: [['tokens/s', (p) => p.tokensPerSecond]] },
];

/** The server's own per-deployment series (`…/series`, one point per 5 s, the last 10 minutes). */
export function DeploymentSeriesCharts({ name }: { name: string }) {
  const series = useQuery({
    queryKey: ['deployment-series', name],
    refetchInterval: 5_000,
    queryFn: () => fetchSeries(name),
  });
  const points = series.data?.points ?? [];
  const x = useMemo(() => points.map((p) => p.t / 1000), [points]);
  const drawn = useMemo(
    () =>
      panels.map((panel) => ({
        panel,
        lines: panel.series.map(
          ([label, pick, dashed]): LineSeries => ({
            label,
            values: points.map(pick),
            dashed: dashed ?? false,
          }),
        ),
      })),
    [points],
  );
  return (
    <section className="card stack" aria-labelledby="series-title">
      <h2 id="series-title">Serving figures</h2>
      <p className="muted">
        From this server's metrics, one point per {series.data?.intervalSeconds ?? 5} s over the last 10
        minutes: tensor inferences (OIP), queue and batch of the runner, and for language models the time to
        the first token and the tokens generated.
      </p>
      {series.error ? <ErrorNotice error={series.error} action="read this deployment's figures" /> : null}
      {series.data && points.length === 0 ? (
        <p className="muted">
          Nothing measured yet: the first point comes 5 s after this server starts sampling.
        </p>
      ) : null}
      <div className="grid two">
        {drawn.map(({ panel, lines }) => {
          const last = points[points.length - 1];
          const now = last
            ? panel.series.map(([label, pick]) => `${label} ${fmt(pick(last))}`).join(', ')
            : 'no data yet';
          return (
            <div key={panel.title} data-testid="series-chart">
              <h3>{panel.title}</h3>
              <Suspense fallback={<p>Loading the chart…</p>}>
                <LineChart
                  x={x}
                  series={lines}
                  time
                  height={180}
                  yLabel={panel.unit}
                  label={`${panel.title} of ${name}, ${points.length} points; last: ${now}`}
                />
              </Suspense>
            </div>
          );
        })}
      </div>
    </section>
  );
}

function fmt(v: number | null): string {
  return v === null ? '—' : Number(v.toPrecision(3)).toString();
}
