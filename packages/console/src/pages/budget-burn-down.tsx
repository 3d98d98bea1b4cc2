import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { api, call } from '../api/client.js';
import type { Budget } from '../api/types.js';
import type { LineSeries } from '../components/line-chart.js';
import { ErrorNotice } from '../components/notice.js';
import { formatMoney } from '../format/numbers.js';
import { burnDown } from '../live/burn-down.js';

const LineChart = lazy(() => import('../components/line-chart.js'));

function budgetName(b: Budget): string {
  return b.scope === 'project' ? `project (${b.period})` : `key ${b.target} (${b.period})`;
}

/** What is left of a budget day by day in its current period, beside the even pace. */
export function BudgetBurnDown() {
  const budgets = useQuery({
    queryKey: ['budgets', 'all'],
    // Budgets change elsewhere (the keys page, the API): read them afresh on each visit.
    staleTime: 0,
    queryFn: () => call(api.GET('/api/v1/budgets')),
  });
  const [chosenId, setChosenId] = useState('');
  const list = budgets.data?.data ?? [];
  const budget = list.find((b) => b.id === chosenId) ?? list.find((b) => b.scope === 'project') ?? list[0];
  // A budget that never resets counts from the first request.
  const from = budget?.periodStart ?? undefined;
  const days = useQuery({
    queryKey: ['usage', 'burn-down', budget?.id, from],
    enabled: budget !== undefined,
    queryFn: () =>
      call(
        api.GET('/api/v1/usage', {
          params: {
            query: {
              groupBy: 'day',
              ...(from ? { from } : {}),
              ...(budget?.scope === 'key' ? { key: budget.target } : {}),
            },
          },
        }),
      ),
  });
  const chart = useMemo(() => {
    if (!budget || !days.data) return null;
    const costByDay = new Map(days.data.data.map((d) => [d.day ?? '', d.cost]));
    const firstDay = [...costByDay.keys()].filter(Boolean).sort()[0];
    const start = budget.periodStart
      ? Date.parse(budget.periodStart)
      : Date.parse(`${firstDay ?? ''}T00:00:00Z`);
    return burnDown({
      limit: budget.limit,
      periodStart: Number.isNaN(start) ? Date.now() : start,
      resetsAt: budget.resetsAt ? Date.parse(budget.resetsAt) : null,
      now: Date.now(),
      costByDay,
    });
  }, [budget, days.data]);
  const series: LineSeries[] = chart
    ? [
        { label: 'remaining', values: chart.remaining },
        { label: 'even pace', values: chart.evenPace, dashed: true },
      ]
    : [];
  return (
    <section className="card stack" aria-labelledby="burn-down-title">
      <h2 id="burn-down-title">Budget burn-down</h2>
      {budgets.error ? <ErrorNotice error={budgets.error} action="read budgets" /> : null}
      {days.error ? <ErrorNotice error={days.error} action="read usage" /> : null}
      {budgets.data && list.length === 0 ? (
        <p className="muted">No budget is set (PUT /api/v1/budgets/project or /api/v1/budgets/keys/…).</p>
      ) : null}
      {budget ? (
        <>
          <div className="form-row">
            <div className="field">
              <label htmlFor="burn-down-budget">Budget</label>
              <select id="burn-down-budget" value={budget.id} onChange={(e) => setChosenId(e.target.value)}>
                {list.map((b) => (
                  <option key={b.id} value={b.id}>
                    {budgetName(b)}
                  </option>
                ))}
              </select>
            </div>
            <p data-testid="budget-summary">
              {formatMoney(budget.spent)} spent of {formatMoney(budget.limit)},{' '}
              {formatMoney(budget.remaining)} left
              {budget.resetsAt ? `; resets ${budget.resetsAt.slice(0, 10)}` : ''}.
            </p>
          </div>
          {chart ? (
            <Suspense fallback={<p>Loading the chart…</p>}>
              <LineChart
                x={chart.x}
                series={series}
                time
                height={220}
                yLabel="left"
                label={`Budget burn-down of the ${budgetName(budget)}: ${formatMoney(budget.remaining)} of ${formatMoney(budget.limit)} left`}
              />
            </Suspense>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
