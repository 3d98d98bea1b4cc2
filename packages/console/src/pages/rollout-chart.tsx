import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useSignedIn } from '../access/signed-in.js';
import { api, call } from '../api/client.js';
import type { Rollout } from '../api/types.js';
import type { LineSeries } from '../components/line-chart.js';
import { ErrorNotice } from '../components/notice.js';
import { rolloutSeries } from '../live/rollout-series.js';
import { weightsFromAudit } from '../live/rollout-weights.js';
import { useLedgerWindow } from '../live/use-ledger-window.js';

const LineChart = lazy(() => import('../components/line-chart.js'));

const WINDOW_MS = 5 * 60_000;
const BUCKET_MS = 10_000;

/**
 * The weights a rollout took, as this tab saw them ([epoch ms, percent]); kept per rollout for the
 * tab's life, so leaving the page and coming back keeps the steps drawn so far. A key that may
 * read the audit log gets the whole history from the rollout's `rollout.step` entries instead.
 */
const seenWeights = new Map<string, [number, number][]>();

function useWeightSteps(rollout: Rollout): [number, number][] {
  const { can } = useSignedIn();
  const [, redraw] = useState(0);
  const audit = useQuery({
    queryKey: ['audit', 'rollout.step', rollout.id, rollout.step],
    enabled: can.admin,
    queryFn: () =>
      call(api.GET('/api/v1/audit', { params: { query: { limit: 200, action: 'rollout.step' } } })),
  });
  useEffect(() => {
    const steps = seenWeights.get(rollout.id) ?? [[Date.parse(rollout.startedAt), 0]];
    const last = steps[steps.length - 1];
    if (!last || last[1] !== rollout.percent) {
      steps.push([Date.now(), rollout.percent]);
      redraw((n) => n + 1);
    }
    seenWeights.set(rollout.id, steps);
  }, [rollout.id, rollout.percent, rollout.startedAt]);
  if (audit.data) return weightsFromAudit(rollout, audit.data.data);
  return seenWeights.get(rollout.id) ?? [];
}

/** The new revision's weight, stepped, over the canary's and the baseline's p95 latency and errors. */
export function RolloutChart({ deployment, rollout }: { deployment: string; rollout: Rollout }) {
  const ledger = useLedgerWindow(WINDOW_MS, true);
  const weights = useWeightSteps(rollout);
  const canary = useMemo(
    () => new Set(rollout.targetVariants.filter((v) => v.role === 'production').map((v) => v.modelVersion)),
    [rollout.targetVariants],
  );
  const s = useMemo(
    () =>
      rolloutSeries(ledger.data?.rows.filter((r) => r.deployment === deployment) ?? [], canary, weights, {
        now: ledger.data?.now ?? Date.now(),
        windowMs: WINDOW_MS,
        bucketMs: BUCKET_MS,
      }),
    [ledger.data, deployment, canary, weights],
  );
  const weightLine: LineSeries = { label: 'weight %', values: s.weight, right: true };
  const latency: LineSeries[] = [
    { label: 'canary p95 ms', values: s.canaryP95 },
    { label: 'baseline p95 ms', values: s.baselineP95, dashed: true },
    weightLine,
  ];
  const errors: LineSeries[] = [
    { label: 'canary errors %', values: s.canaryErrors },
    { label: 'baseline errors %', values: s.baselineErrors, dashed: true },
    weightLine,
  ];
  const versions = [...canary].join(', ');
  return (
    <div className="stack" data-testid="rollout-chart">
      <p className="muted">
        Canary: requests answered by version {versions}; baseline: every other version. Per 10 s from the
        usage ledger; the weight steps are those this page saw.
      </p>
      {ledger.error ? <ErrorNotice error={ledger.error} action="read the usage ledger" /> : null}
      <div className="grid two">
        <Suspense fallback={<p>Loading the chart…</p>}>
          <LineChart
            x={s.x}
            series={latency}
            time
            height={200}
            yLabel="ms"
            rightLabel="weight %"
            label={`Latency p95 of the canary and the baseline, with the new revision's weight (now ${rollout.percent} %)`}
          />
          <LineChart
            x={s.x}
            series={errors}
            time
            height={200}
            yLabel="errors %"
            rightLabel="weight %"
            label={`Errors of the canary and the baseline, with the new revision's weight (now ${rollout.percent} %)`}
          />
        </Suspense>
      </div>
    </div>
  );
}
