import { lazy, Suspense, useMemo } from 'react';
import type { UsageBucket } from '../api/types.js';
import type { LineSeries } from '../components/line-chart.js';

const LineChart = lazy(() => import('../components/line-chart.js'));

/** Requests, errors and cost of the report, summed per day (whatever the other groupings). */
export function UsageChart({ rows }: { rows: UsageBucket[] }) {
  const { x, requests, errors, cost } = useMemo(() => {
    const byDay = new Map<string, { requests: number; errors: number; cost: number }>();
    for (const r of rows) {
      if (!r.day) continue;
      const d = byDay.get(r.day) ?? { requests: 0, errors: 0, cost: 0 };
      d.requests += r.requests;
      d.errors += r.errors;
      d.cost += r.cost;
      byDay.set(r.day, d);
    }
    const days = [...byDay.keys()].sort();
    return {
      x: days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000),
      requests: days.map((d) => byDay.get(d)?.requests ?? 0),
      errors: days.map((d) => byDay.get(d)?.errors ?? 0),
      cost: days.map((d) => byDay.get(d)?.cost ?? 0),
    };
  }, [rows]);
  const counts: LineSeries[] = [
    { label: 'requests', values: requests },
    { label: 'errors', values: errors, dashed: true },
  ];
  const money: LineSeries[] = [{ label: 'cost', values: cost }];
  const total = requests.reduce((a, b) => a + b, 0);
  return (
    <section className="card" aria-labelledby="usage-chart-title">
      <h2 id="usage-chart-title">Per day</h2>
      <div className="grid two">
        <Suspense fallback={<p>Loading the chart…</p>}>
          <LineChart
            x={x}
            series={counts}
            time
            height={200}
            yLabel="requests"
            label={`Requests and errors per day: ${total} requests over ${x.length} days`}
          />
          <LineChart
            x={x}
            series={money}
            time
            height={200}
            yLabel="cost"
            label={`Cost per day over ${x.length} days`}
          />
        </Suspense>
      </div>
    </section>
  );
}
