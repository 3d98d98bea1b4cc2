import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, call } from '../api/client.js';
import type { TrainingJob } from '../api/types.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { ScrollTable } from '../components/scroll-table.js';
import { StatusBadge } from '../components/status-badge.js';
import { formatTime } from '../format/time.js';
import { NewTrainingJob } from './new-training-job.js';

const states = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
type State = (typeof states)[number];

/** The project's training jobs, newest first; refreshed while one is still going. */
export function TrainingJobs() {
  const [state, setState] = useState<State | ''>('');
  const jobs = useQuery({
    queryKey: ['training-jobs', state],
    queryFn: () =>
      call(
        api.GET('/api/v1/training/jobs', { params: { query: { limit: 100, ...(state ? { state } : {}) } } }),
      ),
    refetchInterval: (q) =>
      q.state.data?.data.some((j) => j.state === 'queued' || j.state === 'running') ? 3000 : false,
  });
  return (
    <Page title="Training jobs">
      <NewTrainingJob />
      <section className="card" aria-label="Filter">
        <form className="form-row" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="training-state">State</label>
            <select
              id="training-state"
              value={state}
              onChange={(e) => setState(e.target.value as State | '')}
            >
              <option value="">every state</option>
              {states.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
        </form>
        <p className="muted">
          Jobs start from the API or the CLI (<code>modelport train</code>, docs/training.md); each page
          follows its job live.
        </p>
      </section>
      {jobs.error ? <ErrorNotice error={jobs.error} action="list training jobs" /> : null}
      <div className="card">
        <ScrollTable label="Training jobs">
          <caption>Training jobs{state ? `: ${state}` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Model</th>
              <th scope="col">State</th>
              <th scope="col">Progress</th>
              <th scope="col">Score</th>
              <th scope="col">Version</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {jobs.data?.data.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  No training jobs.
                </td>
              </tr>
            ) : null}
            {jobs.data?.data.map((j) => (
              <JobRow key={j.id} job={j} />
            ))}
          </tbody>
        </ScrollTable>
      </div>
    </Page>
  );
}

function JobRow({ job }: { job: TrainingJob }) {
  const p = job.progress;
  const r = job.result;
  const score = r ? r.metrics[r.metric] : undefined;
  return (
    <tr data-testid="training-row">
      <td>
        <Link href={`/training/${encodeURIComponent(job.id)}`} className="mono">
          {job.id}
        </Link>
      </td>
      <td>{job.name}</td>
      <td>
        <StatusBadge state={job.state} />
      </td>
      <td>
        {p.phase} · epoch {p.epoch}/{p.epochs}
      </td>
      <td className="mono">{r && score !== undefined ? `${r.metric} ${score.toFixed(4)}` : '—'}</td>
      <td>
        {r?.version != null ? (
          <Link href={`/models/${encodeURIComponent(r.model)}`}>
            {r.model}:{r.version}
          </Link>
        ) : (
          '—'
        )}
      </td>
      <td>{formatTime(job.createdAt)}</td>
    </tr>
  );
}
