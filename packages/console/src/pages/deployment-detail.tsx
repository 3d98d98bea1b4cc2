import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useSignedIn } from '../access/signed-in.js';
import { api, call } from '../api/client.js';
import { ErrorNotice, NeedsScope } from '../components/notice.js';
import { Page } from '../components/page.js';
import { StatusBadge } from '../components/status-badge.js';
import { formatTime } from '../format/time.js';
import { DeploymentLatency } from './deployment-latency.js';
import { DeploymentSeriesCharts } from './deployment-series.js';
import { InstancesTable, ScalingTable, VariantsTable } from './deployment-tables.js';
import { RolloutPanel } from './rollout-panel.js';
import { ScaleAndSwap } from './scale-and-swap.js';

/** One deployment: state, variants, instances, scaling, its rollout, scale and swap, latency. */
export function DeploymentDetail({ name }: { name: string }) {
  const { can } = useSignedIn();
  const deployment = useQuery({
    queryKey: ['deployments', name],
    refetchInterval: 3_000,
    queryFn: () => call(api.GET('/api/v1/deployments/{name}', { params: { path: { name } } })),
  });
  const d = deployment.data;
  return (
    <Page title={`Deployment ${name}`} actions={d ? <StatusBadge state={d.status} /> : null}>
      {deployment.error ? <ErrorNotice error={deployment.error} action="read this deployment" /> : null}
      {d ? (
        <>
          <section className="card" aria-label="Summary">
            <dl className="facts">
              <dt>Model</dt>
              <dd>
                <Link href={`/models/${encodeURIComponent(d.model)}`}>{d.model}</Link> version {d.version}
              </dd>
              <dt>Revision</dt>
              <dd>{d.revision}</dd>
              <dt>Failover</dt>
              <dd>
                <StatusBadge state={d.failover.state} />
                {d.settings.fallbacks?.length ? ` falls back to ${d.settings.fallbacks.join(', ')}` : ''}
              </dd>
              <dt>Updated</dt>
              <dd>{formatTime(d.updatedAt)}</dd>
            </dl>
          </section>
          {can.manage ? (
            <ScaleAndSwap deployment={d} />
          ) : (
            <NeedsScope scope="manage">Scale and swap are hidden:</NeedsScope>
          )}
          {d.rollout ? (
            <RolloutPanel
              deployment={d.name}
              rollout={d.rollout}
              canSteer={can.manage}
              canReadUsage={can.usage}
            />
          ) : (
            <p className="muted">No rollout in progress.</p>
          )}
          {can.usage ? (
            <DeploymentLatency name={d.name} />
          ) : (
            <NeedsScope scope="manage">The latency chart is hidden:</NeedsScope>
          )}
          <DeploymentSeriesCharts name={d.name} />
          <div className="card">
            <VariantsTable deployment={d} />
          </div>
          <div className="card">
            <InstancesTable deployment={d} />
          </div>
          <div className="card">
            <ScalingTable deployment={d} />
          </div>
        </>
      ) : null}
    </Page>
  );
}
