import type { Deployment } from '@modelport/sdk';
import { formatTable } from './format-table.js';
import { formatBytes, formatTime } from './format-values.js';
import { formatShare, formatVariants } from './format-variants.js';
import { summarizeRollout } from './render-rollout.js';

/** `deployments list`: one row a deployment, its rollout's state and share when one is in progress. */
export function renderDeploymentList(deployments: readonly Deployment[]): string {
  const rows = deployments.map((d) => [
    d.name,
    d.model,
    String(d.version),
    String(d.revision),
    d.status,
    formatReady(d),
    d.rollout === null ? '-' : `${d.rollout.state} ${formatShare(d.rollout.percent)}`,
  ]);
  return formatTable(['NAME', 'MODEL', 'VERSION', 'REVISION', 'STATUS', 'READY', 'ROLLOUT'], rows);
}

/** `deployments show`: the summary, the variants with their share, the instances, the rollout. */
export function renderDeployment(d: Deployment): string {
  const fields = formatTable(
    ['', ''],
    [
      ['model:', `${d.model} v${d.version}`],
      ['revision:', String(d.revision)],
      ['status:', `${d.status}, ${formatReady(d)} instances ready`],
      ['settings:', describeSettings(d.settings)],
      ['rollout:', d.rollout === null ? '-' : summarizeRollout(d.rollout)],
      ...optionalFields(d),
      ['created:', formatTime(d.createdAt)],
      ['updated:', formatTime(d.updatedAt)],
    ],
  );
  return [
    `deployment ${d.name}`,
    ...fields
      .split('\n')
      .slice(1)
      .map((l) => `  ${l}`),
    '',
    formatVariants(d.variants),
    '',
    d.instances.length === 0 ? 'no instances running' : formatInstances(d.instances),
  ].join('\n');
}

/** Autoscaling and failover lines, only for a deployment that has them (or is cooling down). */
function optionalFields(d: Deployment): [string, string][] {
  const fields: [string, string][] = [];
  const scaling = d.settings.autoscaling;
  if (scaling) {
    const pools = d.scaling.map((v) => `${v.variant} ${v.current}→${v.desired}`).join(', ');
    fields.push([
      'autoscaling:',
      `${scaling.minInstances}–${scaling.maxInstances} instances, target ${scaling.targetConcurrency} in flight` +
        (scaling.minInstances === 0 ? `, to zero after ${scaling.scaleToZeroAfterSeconds} s` : '') +
        (pools ? ` (now ${pools})` : ''),
    ]);
  }
  const fallbacks = d.settings.fallbacks ?? [];
  if (fallbacks.length > 0) fields.push(['fallbacks:', fallbacks.join(' → ')]);
  const { failover } = d;
  if (failover.state === 'cooling_down')
    fields.push(['failover:', `cooling down until ${formatTime(failover.until ?? '')} (${failover.reason})`]);
  else if (failover.state === 'probation' || failover.recentFailures > 0)
    fields.push(['failover:', `${failover.state}, ${failover.recentFailures} recent failures`]);
  return fields;
}

/** After `create` and `update`: what is served now and how much of it answers. */
export function summarizeDeployment(d: Deployment): string {
  return `deployment ${d.name} serves ${d.model} v${d.version} (revision ${d.revision}): ${d.status}, ${formatReady(d)} instances ready`;
}

/** `2/3`: instances ready of those running, both fleets counted while a rollout runs. */
export function formatReady(d: Deployment): string {
  return `${d.instances.filter((i) => i.state === 'ready').length}/${d.instances.length}`;
}

function formatInstances(instances: Deployment['instances']): string {
  const rows = instances.map((i) => [
    i.variant,
    String(i.version),
    i.fleet,
    i.state,
    i.pid === null ? '-' : String(i.pid),
    String(i.restarts),
    String(i.outstanding),
    formatBytes(i.memoryBytes),
  ]);
  return formatTable(
    ['VARIANT', 'VERSION', 'FLEET', 'STATE', 'PID', 'RESTARTS', 'IN FLIGHT', 'MEMORY'],
    rows,
  );
}

/** `threads auto, batches of 8 within 2 ms, queue 256, timeout 30000 ms` (instances: per variant). */
function describeSettings(s: Deployment['settings']): string {
  const { batching, llm } = s;
  const parts = [
    `threads ${s.threads ?? 'auto'}`,
    batching.maxBatchSize === 1
      ? 'no batching'
      : `batches of ${batching.maxBatchSize} within ${batching.maxQueueDelayMs} ms`,
    `queue ${s.maxQueueSize}`,
    `timeout ${s.timeoutMs} ms`,
  ];
  if (s.isolation === 'thread') parts.push('isolation thread');
  if (llm.contextSize !== undefined) parts.push(`context ${llm.contextSize}`);
  if (Object.keys(s.options).length > 0) parts.push(`options ${JSON.stringify(s.options)}`);
  return parts.join(', ');
}
