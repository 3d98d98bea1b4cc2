import type { EpochMetrics, TrainingJob, TrainingResult } from '@modelport/contracts';
import { formatTable } from './format-table.js';

type Metric = TrainingJob['progress']['metric'];

const short = (metric: Metric) => (metric === 'accuracy' ? 'acc' : (metric ?? 'metric'));
const fixed = (value: number | null, digits = 4) => (value === null ? '-' : value.toFixed(digits));

/** `epoch 3/20  loss 0.4120  acc 0.8610  val_loss 0.3980  val_acc 0.8700  1.2 s` */
export function epochLine(epoch: EpochMetrics, epochs: number, metric: Metric): string {
  const name = short(metric);
  const parts = [
    `epoch ${epoch.epoch}/${epochs}`,
    `loss ${fixed(epoch.loss)}`,
    `${name} ${fixed(epoch.metric)}`,
    ...(epoch.valLoss === null ? [] : [`val_loss ${fixed(epoch.valLoss)}`]),
    ...(epoch.valMetric === null ? [] : [`val_${name} ${fixed(epoch.valMetric)}`]),
    `${(epoch.durationMs / 1000).toFixed(1)} s`,
  ];
  return parts.join('  ');
}

/** One line per job state: `trn_… iris succeeded (20/20 epochs) → iris:3`. */
export function summarizeJob(job: TrainingJob): string {
  const { epoch, epochs } = job.progress;
  const version = job.result?.version == null ? '' : ` → ${job.result.model}:${job.result.version}`;
  const error = job.error ? `: ${job.error.code}: ${job.error.message}` : '';
  return `${job.id} ${job.name} ${job.state} (${epoch}/${epochs} epochs)${version}${error}`;
}

/** The scores beside the baseline's, the parity check and where the version went. */
export function renderResult(result: TrainingResult): string {
  const names = Object.keys(result.metrics);
  const rows = names.map((name) => [
    name,
    fixed(result.metrics[name] ?? null),
    typeof result.baseline[name] === 'number' ? fixed(result.baseline[name] as number) : '-',
  ]);
  const lines = [
    `evaluated on ${result.evaluatedOn.rows} ${result.evaluatedOn.split} rows; ${result.epochsRun} epochs (${result.stoppedBy.replace('_', ' ')}, weights of epoch ${result.bestEpoch})`,
    formatTable(['METRIC', 'MODEL', 'BASELINE'], rows),
    `baseline predicts ${String(result.baseline.predicts ?? '-')}`,
    `ONNX parity: max |difference| ${result.parity.maxAbsDiff.toExponential(2)} over ${result.parity.rows} rows (tolerance ${result.parity.tolerance})`,
  ];
  if (result.version !== null)
    lines.push(`registered ${result.model}:${result.version} (sha256 ${result.sha256})`);
  if (result.deployment) {
    const rollout = result.deployment.rolloutId ? `, rollout ${result.deployment.rolloutId}` : '';
    lines.push(`deployed as ${result.deployment.name} (${result.deployment.mode}${rollout})`);
  }
  return lines.join('\n');
}

export function renderJob(job: TrainingJob): string {
  const lines = [
    summarizeJob(job),
    `dataset ${job.dataset}, created ${job.createdAt}${job.finishedAt ? `, finished ${job.finishedAt}` : ''}, phase ${job.progress.phase}, attempts ${job.attempts}`,
  ];
  if (job.epochs.length > 0)
    lines.push(...job.epochs.map((e) => epochLine(e, job.progress.epochs, job.progress.metric)));
  if (job.result) lines.push(renderResult(job.result));
  if (job.error?.param) lines.push(`at ${job.error.param}`);
  return lines.join('\n');
}

export function renderJobList(jobs: readonly TrainingJob[]): string {
  if (jobs.length === 0) return 'no training jobs';
  return formatTable(
    ['ID', 'MODEL', 'DATASET', 'STATE', 'EPOCHS', 'VERSION', 'CREATED'],
    jobs.map((j) => [
      j.id,
      j.name,
      j.dataset,
      j.state,
      `${j.progress.epoch}/${j.progress.epochs}`,
      j.result?.version == null ? '-' : String(j.result.version),
      j.createdAt,
    ]),
  );
}
