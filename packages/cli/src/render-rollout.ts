import type { Rollout, RolloutStrategy } from '@modelport/contracts';
import { formatTable } from './format-table.js';
import { formatTime } from './format-values.js';
import { formatShare, formatVariants } from './format-variants.js';
import { renderEvaluation } from './render-evaluation.js';

/** `rollouts status`: where the rollout is, why, the variants it moves to and its last evaluation. */
export function renderRollout(r: Rollout): string {
  const fields = formatTable(
    ['', ''],
    [
      ['state:', r.state],
      ['step:', formatStep(r)],
      ['traffic:', `${formatShare(r.percent)} on revision ${r.toRevision}`],
      ['strategy:', describeStrategy(r.strategy)],
      ['reason:', r.reason ?? '-'],
      ['started:', formatTime(r.startedAt)],
      ['updated:', formatTime(r.updatedAt)],
      ['finished:', formatTime(r.finishedAt)],
    ],
  );
  const lines = [
    `rollout ${r.id} of ${r.deployment}: revision ${r.fromRevision} → ${r.toRevision}`,
    ...fields
      .split('\n')
      .slice(1)
      .map((l) => `  ${l}`),
    '',
    formatVariants(r.targetVariants),
    '',
    r.lastEvaluation === null ? 'no evaluation yet' : renderEvaluation(r.lastEvaluation),
  ];
  return lines.join('\n');
}

/** One line per change while watching, and after pause, resume, abort or promote. */
export function summarizeRollout(r: Rollout): string {
  const reason = r.reason === null ? '' : ` (${r.reason})`;
  const evaluation = r.lastEvaluation === null ? '' : `, last evaluation ${r.lastEvaluation.outcome}`;
  return `rollout ${r.id} of ${r.deployment}: ${r.state}${reason}, step ${formatStep(r)} at ${formatShare(r.percent)}${evaluation}`;
}

export function renderRolloutList(rollouts: readonly Rollout[]): string {
  const rows = rollouts.map((r) => [
    r.id,
    r.state,
    `${r.fromRevision} → ${r.toRevision}`,
    describeStrategy(r.strategy),
    formatStep(r),
    formatShare(r.percent),
    r.reason ?? '-',
    formatTime(r.startedAt),
    formatTime(r.finishedAt),
  ]);
  return formatTable(
    ['ID', 'STATE', 'REVISIONS', 'STRATEGY', 'STEP', 'PERCENT', 'REASON', 'STARTED', 'FINISHED'],
    rows,
  );
}

/** `1/2`: steps taken of all (`step` indexes them, -1 before the first). */
export function formatStep(r: Rollout): string {
  return `${r.step + 1}/${r.steps.length}`;
}

export function describeStrategy(s: RolloutStrategy): string {
  const bake = `bake ${s.bakeSeconds} s`;
  switch (s.type) {
    case 'all_at_once':
      return `all at once, ${bake}`;
    case 'canary':
      return `canary ${formatShare(s.percent)}, ${bake}`;
    case 'linear':
      return `linear ${s.steps ? s.steps.map(formatShare).join(' → ') : `by ${formatShare(s.percent ?? 0)}`}, ${bake}`;
    case 'rolling':
      return `rolling, ${bake}`;
  }
}
