import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { Link } from 'wouter';
import { useSignedIn } from '../access/signed-in.js';
import { api, call } from '../api/client.js';
import type { TrainingEpoch } from '../api/types.js';
import type { LineSeries } from '../components/line-chart.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { StatusBadge } from '../components/status-badge.js';
import { formatTime } from '../format/time.js';
import { useTrainingEvents } from '../live/training-events.js';
import { TrainingDeploy } from './training-deploy.js';
import { TrainingEvaluation, TrainingSpec } from './training-evaluation.js';

// uPlot loads with the first chart, not with the console.
const LineChart = lazy(() => import('../components/line-chart.js'));

function curves(epochs: TrainingEpoch[]) {
  const x = epochs.map((e) => e.epoch);
  const loss: LineSeries[] = [
    { label: 'loss', values: epochs.map((e) => e.loss) },
    { label: 'validation loss', values: epochs.map((e) => e.valLoss), dashed: true },
  ];
  const metric: LineSeries[] = [
    { label: 'training', values: epochs.map((e) => e.metric) },
    { label: 'validation', values: epochs.map((e) => e.valMetric), dashed: true },
  ];
  return { x, loss, metric };
}

/** One training job, followed live: state, loss and metric per epoch, evaluation, the version it made. */
export function TrainingJobPage({ id }: { id: string }) {
  const { can } = useSignedIn();
  const queryClient = useQueryClient();
  const live = useTrainingEvents(id);
  const job = useQuery({
    queryKey: ['training-jobs', 'one', id, live.ended],
    queryFn: () => call(api.GET('/api/v1/training/jobs/{id}', { params: { path: { id } } })),
  });
  const cancel = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/training/jobs/{id}/cancel', { params: { path: { id } }, body: {} })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['training-jobs'] }),
  });
  const epochs = live.epochs.length > 0 ? live.epochs : (job.data?.epochs ?? []);
  const { x, loss, metric } = useMemo(() => curves(epochs), [epochs]);
  const state = live.state ?? job.data?.state;
  const progress = live.progress ?? job.data?.progress;
  const result = live.result ?? job.data?.result ?? null;
  const error = live.error ?? job.data?.error ?? null;
  const metricName = progress?.metric ?? result?.metric ?? 'metric';
  const last = epochs[epochs.length - 1];
  const going = state === 'queued' || state === 'running';
  return (
    <Page
      title={`Training job ${id}`}
      actions={
        state ? (
          <div className="actions">
            <StatusBadge state={state} />
            {can.manage && going ? (
              <button
                type="button"
                className="secondary"
                disabled={cancel.isPending}
                onClick={() => cancel.mutate()}
              >
                Cancel job
              </button>
            ) : null}
          </div>
        ) : null
      }
    >
      {job.error ? <ErrorNotice error={job.error} action="read this training job" /> : null}
      {live.streamError && !job.error ? (
        <ErrorNotice error={live.streamError} action="follow this job" />
      ) : null}
      {cancel.error ? <ErrorNotice error={cancel.error} action="cancel this job" /> : null}
      {job.data ? (
        <section className="card stack" aria-label="Progress">
          <p>
            Trains <Link href={`/models/${encodeURIComponent(job.data.name)}`}>{job.data.name}</Link> on
            dataset <code>{job.data.dataset}</code>; created {formatTime(job.data.createdAt)}
            {job.data.attempts > 1 ? `, run ${job.data.attempts} times (resumed)` : ''}.
          </p>
          {progress ? (
            <div className="field">
              <label htmlFor="training-progress">
                {going ? progress.phase : state}: epoch {progress.epoch} of {progress.epochs}
              </label>
              <progress
                id="training-progress"
                max={1}
                value={progress.fraction}
                data-phase={progress.phase}
              />
            </div>
          ) : null}
          {last ? (
            <p className="mono" data-testid="last-epoch">
              epoch {last.epoch}: loss {last.loss.toFixed(4)} · {metricName} {last.metric.toFixed(4)}
              {last.valLoss !== null ? ` · val loss ${last.valLoss.toFixed(4)}` : ''}
              {last.valMetric !== null ? ` · val ${metricName} ${last.valMetric.toFixed(4)}` : ''}
            </p>
          ) : null}
          {error ? (
            <div className="notice error" role="alert">
              <p>
                <strong>Failed ({error.code}).</strong> {error.message}
                {error.param ? ` (${error.param})` : ''}
              </p>
            </div>
          ) : null}
        </section>
      ) : null}
      <div className="grid two">
        <section className="card" aria-labelledby="loss-title">
          <h2 id="loss-title">Loss</h2>
          <Suspense fallback={<p>Loading the chart…</p>}>
            <LineChart
              x={x}
              series={loss}
              xLabel="epoch"
              yLabel="loss"
              label={`Loss per epoch, ${epochs.length} epochs${last ? `; last ${last.loss.toFixed(4)}` : ''}`}
            />
          </Suspense>
        </section>
        <section className="card" aria-labelledby="metric-title">
          <h2 id="metric-title">{metricName}</h2>
          <Suspense fallback={<p>Loading the chart…</p>}>
            <LineChart
              x={x}
              series={metric}
              xLabel="epoch"
              yLabel={metricName}
              label={`${metricName} per epoch, ${epochs.length} epochs${last ? `; last ${last.metric.toFixed(4)}` : ''}`}
            />
          </Suspense>
        </section>
      </div>
      {result && job.data ? (
        <>
          <TrainingEvaluation result={result} />
          <TrainingDeploy job={job.data} result={result} />
        </>
      ) : null}
      {job.data ? <TrainingSpec spec={job.data.spec} /> : null}
      {live.logs.length > 0 ? (
        <section className="card" aria-labelledby="log-title">
          <h2 id="log-title">Log</h2>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a log that scrolls takes focus */}
          <pre className="log" tabIndex={0}>
            {live.logs.map((l) => `${l.at.slice(11, 19)} ${l.level.padEnd(5)} ${l.message}`).join('\n')}
          </pre>
        </section>
      ) : null}
    </Page>
  );
}
