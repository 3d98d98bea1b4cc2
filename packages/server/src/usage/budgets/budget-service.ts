import type { Budget, BudgetPeriod, BudgetRequest } from '@modelport/contracts';
import { budgetRequest } from '@modelport/contracts';
import type { Principal } from '../../auth/index.js';
import { AppError } from '../../platform/errors/index.js';
import type { Clock } from '../../platform/index.js';
import { newId } from '../../platform/index.js';
import { periodEnd, periodStart } from '../ledger/budget-periods.js';
import { fromNanos, toNanos } from '../money.js';
import type { BudgetRepo, BudgetRow } from './budget-repo.js';

/**
 * How stale a replica's view of spending may be. A budget can be overshot by the requests already
 * admitted and, across replicas, by what the others spent within this window.
 */
export const BUDGET_CACHE_MS = 1_000;

export function createBudgetService(repo: BudgetRepo, clock: Clock) {
  const cache = new Map<string, { rows: BudgetRow[]; at: number }>();

  async function budgetsOf(p: Principal): Promise<BudgetRow[]> {
    const now = Date.now();
    const hit = cache.get(p.keyId);
    if (hit && now - hit.at < BUDGET_CACHE_MS) return hit.rows;
    const rows = await repo.forKey(p.projectId, p.keyId);
    if (cache.size > 10_000) cache.clear();
    cache.set(p.keyId, { rows, at: now });
    return rows;
  }

  const spentNow = (row: BudgetRow, at: Date) =>
    row.period_start === periodStart(row.period, at) ? row.spent_nanos : 0;

  function toBudget(row: BudgetRow): Budget {
    const at = clock.now();
    const spent = spentNow(row, at);
    const start = row.period === 'never' ? null : periodStart(row.period, at);
    return {
      id: row.id,
      scope: row.scope,
      target: row.target,
      limit: fromNanos(row.limit_nanos),
      period: row.period,
      spent: fromNanos(spent),
      remaining: fromNanos(Math.max(0, row.limit_nanos - spent)),
      periodStart: start,
      resetsAt: start === null ? null : periodEnd(row.period, start),
    };
  }

  async function put(p: Principal, scope: BudgetRow['scope'], target: string, input: BudgetRequest) {
    const req = budgetRequest.parse(input);
    const at = clock.now();
    await repo.upsert({
      id: newId('bud'),
      project_id: p.projectId,
      scope,
      target,
      limit_nanos: toNanos(req.limit),
      period: req.period as BudgetPeriod,
      period_start: periodStart(req.period, at),
      spent_nanos: 0,
      updated_at: at.toISOString(),
    });
    cache.clear();
    const row = await repo.find(scope, target);
    if (!row) throw new AppError('budget_not_found');
    return toBudget(row);
  }

  return {
    /**
     * Refuses a priced request when the key's or the project's budget is spent: 429
     * `insufficient_quota`, before any work is done.
     */
    async check(p: Principal): Promise<void> {
      const rows = await budgetsOf(p);
      const at = clock.now();
      for (const row of rows) {
        if (spentNow(row, at) < row.limit_nanos) continue;
        const whose = row.scope === 'key' ? 'This key' : 'This project';
        const resets =
          row.period === 'never'
            ? ''
            : ` It resets at ${periodEnd(row.period, periodStart(row.period, at))}.`;
        throw new AppError(
          'insufficient_quota',
          `${whose} has spent its budget of ${fromNanos(row.limit_nanos)} for this ${row.period === 'never' ? 'key' : row.period}.${resets}`,
        );
      }
    },

    /** After this replica committed spending: the next check reads the store again. */
    spent(p: Pick<Principal, 'keyId'>): void {
      cache.delete(p.keyId);
    },

    putProject: (p: Principal, input: BudgetRequest) => put(p, 'project', p.projectId, input),

    async putKey(p: Principal, keyId: string, input: BudgetRequest): Promise<Budget> {
      if (!(await repo.keyInProject(p.projectId, keyId)))
        throw new AppError('key_not_found', `No API key '${keyId}' in this project.`);
      return put(p, 'key', keyId, input);
    },

    async list(p: Principal): Promise<Budget[]> {
      return (await repo.list(p.projectId)).map(toBudget);
    },

    async get(p: Principal, id: string): Promise<Budget> {
      const row = await repo.get(p.projectId, id);
      if (!row) throw new AppError('budget_not_found', `No budget '${id}' in this project.`);
      return toBudget(row);
    },

    async delete(p: Principal, id: string): Promise<void> {
      if (!(await repo.delete(p.projectId, id)))
        throw new AppError('budget_not_found', `No budget '${id}' in this project.`);
      cache.clear();
    },
  };
}

export type BudgetService = ReturnType<typeof createBudgetService>;
