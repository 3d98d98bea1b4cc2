const DAY_MS = 86_400_000;

export interface BurnDown {
  /** Day ends (epoch seconds), from the period's first day to its last (or today). */
  x: number[];
  /** What is left of the budget at each day's end; null for days still to come. */
  remaining: (number | null)[];
  /** What would be left spending evenly through the period (null for a budget that never resets). */
  evenPace: (number | null)[];
}

/**
 * A budget's burn-down: the limit less the cumulative cost, day by day (UTC days, as the usage
 * report sums them), beside the even pace that would end the period exactly at 0.
 */
export function burnDown(opts: {
  limit: number;
  periodStart: number;
  /** End of the period; null when the budget never resets (the chart ends today). */
  resetsAt: number | null;
  now: number;
  /** Cost per UTC day, keyed `yyyy-mm-dd`. */
  costByDay: ReadonlyMap<string, number>;
}): BurnDown {
  const first = Math.floor(opts.periodStart / DAY_MS) * DAY_MS;
  const last = opts.resetsAt === null ? opts.now : Math.max(opts.now, opts.resetsAt - 1);
  const days = Math.max(1, Math.floor((last - first) / DAY_MS) + 1);
  const out: BurnDown = { x: [], remaining: [], evenPace: [] };
  let spent = 0;
  for (let i = 0; i < days; i++) {
    const start = first + i * DAY_MS;
    const end = start + DAY_MS;
    out.x.push(end / 1000);
    if (start <= opts.now) {
      spent += opts.costByDay.get(new Date(start).toISOString().slice(0, 10)) ?? 0;
      out.remaining.push(opts.limit - spent);
    } else {
      out.remaining.push(null);
    }
    out.evenPace.push(opts.resetsAt === null ? null : opts.limit * (1 - (i + 1) / days));
  }
  return out;
}
