import type { BudgetPeriod } from '@modelport/contracts';

/** The UTC start of the period `at` falls in; weeks start on Monday; `never` has one period. */
export function periodStart(period: BudgetPeriod, at: Date): string {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (period) {
    case 'day':
      return new Date(Date.UTC(y, m, d)).toISOString();
    case 'week': {
      const sinceMonday = (at.getUTCDay() + 6) % 7;
      return new Date(Date.UTC(y, m, d - sinceMonday)).toISOString();
    }
    case 'month':
      return new Date(Date.UTC(y, m, 1)).toISOString();
    case 'never':
      return new Date(0).toISOString();
  }
}

/** When the period that started at `start` ends; null for `never`. */
export function periodEnd(period: BudgetPeriod, start: string): string | null {
  const s = new Date(start);
  const y = s.getUTCFullYear();
  const m = s.getUTCMonth();
  const d = s.getUTCDate();
  switch (period) {
    case 'day':
      return new Date(Date.UTC(y, m, d + 1)).toISOString();
    case 'week':
      return new Date(Date.UTC(y, m, d + 7)).toISOString();
    case 'month':
      return new Date(Date.UTC(y, m + 1, 1)).toISOString();
    case 'never':
      return null;
  }
}

/** Each period's current start at `at`, for SQL that resets spending when a period turned. */
export function currentPeriodStarts(at: Date): Record<BudgetPeriod, string> {
  return {
    day: periodStart('day', at),
    week: periodStart('week', at),
    month: periodStart('month', at),
    never: periodStart('never', at),
  };
}
