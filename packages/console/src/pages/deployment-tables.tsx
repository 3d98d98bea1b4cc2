import type { Deployment } from '../api/types.js';
import { ScrollTable } from '../components/scroll-table.js';
import { StatusBadge } from '../components/status-badge.js';
import { formatBytes } from '../format/numbers.js';

/** The revision's variants: version, weight (and its share of the traffic), role, instances. */
export function VariantsTable({ deployment }: { deployment: Deployment }) {
  const total = deployment.variants
    .filter((v) => v.role === 'production')
    .reduce((sum, v) => sum + v.weight, 0);
  return (
    <ScrollTable label="Variants">
      <caption>Variants of revision {deployment.revision}</caption>
      <thead>
        <tr>
          <th scope="col">Variant</th>
          <th scope="col">Version</th>
          <th scope="col">Role</th>
          <th scope="col" className="num">
            Weight
          </th>
          <th scope="col" className="num">
            Traffic
          </th>
          <th scope="col" className="num">
            Instances
          </th>
        </tr>
      </thead>
      <tbody>
        {deployment.variants.map((v) => (
          <tr key={v.variantName}>
            <td>{v.variantName}</td>
            <td>{v.modelVersion}</td>
            <td>{v.role}</td>
            <td className="num">{v.weight}</td>
            <td className="num">
              {v.role === 'shadow'
                ? `copy of ${v.samplingPercent ?? 100} %`
                : total > 0
                  ? `${Math.round((v.weight / total) * 100)} %`
                  : '—'}
            </td>
            <td className="num">{v.instances}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

/** Every runner instance, per variant and fleet (`next`: a rollout's new revision). */
export function InstancesTable({ deployment }: { deployment: Deployment }) {
  const rows = [...deployment.instances].sort((a, b) =>
    `${a.variant}${a.fleet}`.localeCompare(`${b.variant}${b.fleet}`),
  );
  return (
    <ScrollTable label="Instances">
      <caption>Instances</caption>
      <thead>
        <tr>
          <th scope="col">Variant</th>
          <th scope="col">Fleet</th>
          <th scope="col">Version</th>
          <th scope="col">State</th>
          <th scope="col" className="num">
            In flight
          </th>
          <th scope="col" className="num">
            Restarts
          </th>
          <th scope="col" className="num">
            Memory
          </th>
          <th scope="col" className="num">
            PID
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={8} className="muted">
              No instance runs ({deployment.status}).
            </td>
          </tr>
        ) : null}
        {rows.map((i, n) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: instances have no id; a stopped one has no pid
          <tr key={`${i.variant}-${i.fleet}-${i.pid ?? n}-${n}`}>
            <td>{i.variant}</td>
            <td>{i.fleet}</td>
            <td>{i.version}</td>
            <td>
              <StatusBadge state={i.state} />
            </td>
            <td className="num">{i.outstanding}</td>
            <td className="num">{i.restarts}</td>
            <td className="num">{formatBytes(i.memoryBytes)}</td>
            <td className="num">{i.pid ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

/** Each pool as its scaler sees it: instances now and wanted, bounds, the last decision and why. */
export function ScalingTable({ deployment }: { deployment: Deployment }) {
  return (
    <ScrollTable label="Scaling">
      <caption>Scaling</caption>
      <thead>
        <tr>
          <th scope="col">Variant</th>
          <th scope="col">Fleet</th>
          <th scope="col" className="num">
            Now / wanted
          </th>
          <th scope="col" className="num">
            Min–max
          </th>
          <th scope="col">Last decision</th>
        </tr>
      </thead>
      <tbody>
        {deployment.scaling.map((s) => (
          <tr key={`${s.variant}-${s.fleet}`}>
            <td>{s.variant}</td>
            <td>{s.fleet}</td>
            <td className="num">
              {s.current} / {s.desired}
            </td>
            <td className="num">
              {s.minInstances}–{s.maxInstances}
            </td>
            <td>
              {s.lastDecision
                ? `${s.lastDecision.mode}, ${s.lastDecision.stableConcurrency.toFixed(1)} in flight${
                    s.lastDecision.reason ? `: ${s.lastDecision.reason}` : ''
                  }`
                : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
