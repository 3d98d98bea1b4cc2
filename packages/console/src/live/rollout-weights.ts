import type { AuditEntry, Rollout } from '../api/types.js';

/**
 * The weight steps a rollout took ([epoch ms, percent], oldest first) from its `rollout.step`
 * audit entries (newest first, as the audit log lists them): the history survives a reload and
 * covers steps taken before the page was opened. It starts at 0 % when the rollout started.
 */
export function weightsFromAudit(rollout: Rollout, entries: readonly AuditEntry[]): [number, number][] {
  const steps: [number, number][] = [[Date.parse(rollout.startedAt), 0]];
  const taken = entries
    .filter((e) => e.action === 'rollout.step' && e.detail.rollout === rollout.id)
    .map((e): [number, number] => [Date.parse(e.createdAt), Number(e.detail.percent)])
    .filter(([at, percent]) => Number.isFinite(at) && Number.isFinite(percent))
    .sort((a, b) => a[0] - b[0]);
  return [...steps, ...taken];
}
