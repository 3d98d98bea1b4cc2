import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client.js';
import type { Rollout } from '../api/types.js';
import { ErrorNotice } from '../components/notice.js';
import { StatusBadge } from '../components/status-badge.js';
import { formatMs, formatPercent } from '../format/numbers.js';
import { formatTime } from '../format/time.js';
import { RolloutChart } from './rollout-chart.js';

const finished = new Set(['succeeded', 'failed', 'rolled_back']);
/** What the server lets each action act on (anything else answers 409 `rollout_state_conflict`). */
const moving = new Set(['baking', 'shifting']);
const promotable = new Set(['baking', 'shifting', 'paused']);

type Verb = 'pause' | 'resume' | 'abort' | 'promote' | 'promote-all';

/** A rollout in progress: where it stands, its last evaluation, and pause / resume / promote / abort. */
export function RolloutPanel({
  deployment,
  rollout,
  canSteer,
  canReadUsage,
}: {
  deployment: string;
  rollout: Rollout;
  canSteer: boolean;
  /** The chart reads the usage ledger (`manage`). */
  canReadUsage: boolean;
}) {
  const queryClient = useQueryClient();
  const steer = useMutation({
    mutationFn: (verb: Verb) => {
      const params = { path: { name: deployment, id: rollout.id } };
      if (verb === 'pause')
        return call(api.POST('/api/v1/deployments/{name}/rollouts/{id}/pause', { params, body: {} }));
      if (verb === 'resume')
        return call(api.POST('/api/v1/deployments/{name}/rollouts/{id}/resume', { params, body: {} }));
      if (verb === 'abort')
        return call(api.POST('/api/v1/deployments/{name}/rollouts/{id}/abort', { params, body: {} }));
      return call(
        api.POST('/api/v1/deployments/{name}/rollouts/{id}/promote', {
          params,
          body: { all: verb === 'promote-all' },
        }),
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['deployments'] }),
  });
  const done = finished.has(rollout.state);
  const e = rollout.lastEvaluation;
  const button = (verb: Verb, label: string, enabled: boolean, className = 'secondary') => (
    <button
      type="button"
      className={className}
      disabled={!canSteer || !enabled || steer.isPending}
      onClick={() => steer.mutate(verb)}
    >
      {label}
    </button>
  );
  return (
    <section className="card" aria-labelledby="rollout-title">
      <h2 id="rollout-title">
        Rollout to revision {rollout.toRevision} <StatusBadge state={rollout.state} />
      </h2>
      <dl className="facts">
        <dt>Strategy</dt>
        <dd>{rollout.strategy.type}</dd>
        <dt>New revision's share</dt>
        <dd>{rollout.percent} %</dd>
        <dt>Step</dt>
        <dd>
          {rollout.step + 1} of {rollout.steps.length} ({rollout.steps.map((s) => `${s} %`).join(' → ')})
        </dd>
        {rollout.reason ? (
          <>
            <dt>Reason</dt>
            <dd>{rollout.reason.replace(/_/g, ' ')}</dd>
          </>
        ) : null}
        <dt>Started</dt>
        <dd>{formatTime(rollout.startedAt)}</dd>
        {e ? (
          <>
            <dt>Last evaluation</dt>
            <dd>
              {e.outcome.replace(/_/g, ' ')} at {formatTime(e.at)}: new {formatPercent(e.canary.errorRate)}{' '}
              errors, p95 {formatMs(e.canary.latencyP95)} ({e.canary.requests} requests); baseline{' '}
              {formatPercent(e.baseline.errorRate)}, p95 {formatMs(e.baseline.latencyP95)}
            </dd>
          </>
        ) : null}
      </dl>
      {canReadUsage ? <RolloutChart deployment={deployment} rollout={rollout} /> : null}
      {steer.error ? <ErrorNotice error={steer.error} action="steer rollouts" /> : null}
      <div className="actions" style={{ marginTop: 12 }}>
        {rollout.state === 'paused'
          ? button('resume', 'Resume', true)
          : button('pause', 'Pause', moving.has(rollout.state))}
        {button('promote', 'Promote one step', promotable.has(rollout.state))}
        {button('promote-all', 'Promote to 100 %', promotable.has(rollout.state))}
        {button('abort', 'Abort and roll back', !done && rollout.state !== 'rolling_back', 'danger')}
      </div>
    </section>
  );
}
