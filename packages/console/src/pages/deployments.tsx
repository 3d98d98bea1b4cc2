import { Link } from 'wouter';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { ScrollTable } from '../components/scroll-table.js';
import { StatusBadge } from '../components/status-badge.js';
import { useDeployments } from './overview-queries.js';

/** Every deployment with its state and instances; details and actions on each one's page. */
export function Deployments() {
  const deployments = useDeployments(true, 5_000);
  return (
    <Page title="Deployments">
      {deployments.error ? <ErrorNotice error={deployments.error} action="list deployments" /> : null}
      <div className="card">
        <ScrollTable label="Deployments">
          <caption>Deployments</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Model</th>
              <th scope="col" className="num">
                Version
              </th>
              <th scope="col" className="num">
                Instances ready
              </th>
              <th scope="col">Rollout</th>
            </tr>
          </thead>
          <tbody>
            {deployments.data?.data.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  Nothing is deployed: deploy a version from its model's page.
                </td>
              </tr>
            ) : null}
            {deployments.data?.data.map((d) => {
              const current = d.instances.filter((i) => i.fleet === 'current');
              return (
                <tr key={d.name}>
                  <td>
                    <Link href={`/deployments/${encodeURIComponent(d.name)}`}>{d.name}</Link>
                  </td>
                  <td>
                    <StatusBadge state={d.status} />
                  </td>
                  <td>{d.model}</td>
                  <td className="num">{d.version}</td>
                  <td className="num">
                    {current.filter((i) => i.state === 'ready').length} / {current.length}
                  </td>
                  <td>{d.rollout ? <StatusBadge state={d.rollout.state} /> : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </ScrollTable>
      </div>
    </Page>
  );
}
