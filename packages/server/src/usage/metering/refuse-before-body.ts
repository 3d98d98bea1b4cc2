import type { Principal } from '../../auth/index.js';
import { AppError } from '../../platform/errors/index.js';
import type { BudgetService } from '../budgets/budget-service.js';
import type { UsageLedger } from '../ledger/usage-ledger.js';
import { type LimitRule, type RateLimiter, rateLimitHeaders, retryAfterSeconds } from '../limiter/index.js';
import { modelRules } from './model-limits.js';

const MINUTE_MS = 60_000;

export interface RefusalDeps {
  limiter: RateLimiter;
  ledger: UsageLedger;
  budgets: BudgetService;
}

/** 503 `usage_ledger_unavailable` while the ledger's backlog is at its bound. */
export function ensureLedgerRoom(ledger: UsageLedger): void {
  if (ledger.backlog < ledger.maxBacklog) return;
  throw new AppError('usage_ledger_unavailable', 'The usage ledger is behind; retry shortly.', {
    retryAfterS: 1,
  });
}

/**
 * What a model request will be refused for, known before its body is read: no room in the ledger,
 * a key × model requests-per-minute limit (or, for routes that count tokens, a tokens-per-minute
 * limit) with nothing left, a spent budget. It only looks: the limits are peeked at with a cost of
 * zero, so a request let through is charged once, by `admit`. `deployment` is absent where the
 * body names the model (OpenAI routes): then only the key's own limits are looked at.
 */
export async function refuseBeforeBody(
  deps: RefusalDeps,
  p: Principal,
  deployment: string | undefined,
  countsTokens: boolean,
  setHeaders: (h: Record<string, string>) => void,
): Promise<void> {
  ensureLedgerRoom(deps.ledger);
  const rules = p.limits ? rulesOf(p.limits, deployment, countsTokens) : [];
  if (rules.length > 0) {
    const peek = await deps.limiter.consume(`key:${p.keyId}`, rules, { requests: 0, tokens: 0 });
    const waitMs = peek.allowed
      ? Math.max(
          0,
          ...rules.map((rule, i) => emptyForMs(rule, peek.states[i]?.remaining, peek.states[i]?.resetMs)),
        )
      : peek.retryAfterMs;
    if (waitMs > 0) {
      // The limits' headers as the refusal after the body would carry them.
      setHeaders(rateLimitHeaders(peek));
      const on = deployment === undefined ? '' : ` on '${deployment}'`;
      throw new AppError('rate_limit_exceeded', `This key is over its limits${on}.`, {
        retryAfterS: retryAfterSeconds(waitMs),
      });
    }
  }
  await deps.budgets.check(p);
}

function rulesOf(
  limits: NonNullable<Principal['limits']>,
  deployment: string | undefined,
  countsTokens: boolean,
): LimitRule[] {
  if (deployment !== undefined) return modelRules(limits, deployment, countsTokens);
  return countsTokens && limits.tokensPerMinute !== undefined
    ? [{ kind: 'tokens', limit: limits.tokensPerMinute, windowMs: MINUTE_MS }]
    : [];
}

/** How long until a rule with nothing left takes one more unit (0 when it has some left). */
function emptyForMs(rule: LimitRule, remaining: number | undefined, resetMs: number | undefined): number {
  if (remaining === undefined || resetMs === undefined || remaining > 0) return 0;
  return Math.max(1, resetMs - rule.windowMs + rule.windowMs / rule.limit);
}
