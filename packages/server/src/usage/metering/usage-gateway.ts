import type { Principal } from '../../auth/index.js';
import { AppError } from '../../platform/errors/index.js';
import type { Logger } from '../../platform/index.js';
import type { BudgetService } from '../budgets/budget-service.js';
import type { UsageLedger } from '../ledger/usage-ledger.js';
import type { UsageRow } from '../ledger/usage-row.js';
import { type LimitRule, type RateLimiter, rateLimitHeaders, retryAfterSeconds } from '../limiter/index.js';
import type { PriceService } from '../prices/price-service.js';
import type { MeterTarget } from './meter-target.js';
import { modelRules, tokenRules } from './model-limits.js';
import { ensureLedgerRoom, refuseBeforeBody } from './refuse-before-body.js';

export interface Admission {
  /** Rules whose token counts are settled after the work. */
  tokenRules: LimitRule[];
  estimatedTokens: number;
  release(): void;
}

export interface Settlement {
  principal: Principal;
  admission: Admission;
  row: Omit<UsageRow, 'cost_nanos'>;
}

export interface UsageGatewayDeps {
  limiter: RateLimiter;
  ledger: UsageLedger;
  prices: PriceService;
  budgets: BudgetService;
  log: Logger;
  /** Whether `settle` waits for the row's commit (`commit`, `fsync`) or only queues it (`async`). */
  durability: 'fsync' | 'commit' | 'async';
}

/** What happens when a request reaches a model (limits, budget, ledger room) and when it ends (cost, row). */
export function createUsageGateway(deps: UsageGatewayDeps) {
  return {
    /** Before the body is read: refusals that need no body (see refuse-before-body.ts). */
    precheck: (
      p: Principal,
      deployment: string | undefined,
      countsTokens: boolean,
      setHeaders: (h: Record<string, string>) => void,
    ) => refuseBeforeBody(deps, p, deployment, countsTokens, setHeaders),

    /**
     * Before any work: room in the ledger, the key × model limits and tokens per minute, the
     * budgets. Headers of the limits checked go on `headers`.
     */
    async admit(
      p: Principal,
      target: MeterTarget,
      estimatedTokens: number | undefined,
      setHeaders: (h: Record<string, string>) => void,
    ): Promise<Admission> {
      ensureLedgerRoom(deps.ledger);
      const rules = p.limits ? modelRules(p.limits, target.deployment, estimatedTokens !== undefined) : [];
      const tokens = estimatedTokens ?? 0;
      if (rules.length > 0) {
        const decision = await deps.limiter.consume(`key:${p.keyId}`, rules, { requests: 1, tokens });
        setHeaders(rateLimitHeaders(decision));
        if (!decision.allowed) {
          throw new AppError(
            'rate_limit_exceeded',
            `This key is over its limits on '${target.deployment}'.`,
            {
              retryAfterS: retryAfterSeconds(decision.retryAfterMs),
            },
          );
        }
      }
      const release = await holdModelSlot(deps.limiter, p, target.deployment);
      try {
        await deps.budgets.check(p);
      } catch (err) {
        release();
        throw err;
      }
      return { tokenRules: tokenRules(rules), estimatedTokens: tokens, release };
    },

    /** Prices the request, charges tokens beyond the estimate, and commits its row (or queues it, `async`). */
    async settle(s: Settlement): Promise<void> {
      s.admission.release();
      const { row } = s;
      const used = row.tokens_in + row.tokens_out;
      if (s.admission.tokenRules.length > 0 && used !== s.admission.estimatedTokens) {
        await deps.limiter
          .consume(`key:${s.principal.keyId}`, s.admission.tokenRules, {
            requests: 0,
            tokens: used - s.admission.estimatedTokens,
            force: true,
          })
          .catch((err: unknown) => deps.log.warn({ err }, 'could not charge tokens to the rate limiter'));
      }
      const cost = await deps.prices
        .costNanos(row.project_id, row.model, {
          tokensIn: row.tokens_in,
          tokensOut: row.tokens_out,
          computeMs: row.compute_ms,
        })
        .catch((err: unknown) => {
          deps.log.error({ err }, 'could not read the model price; the row is recorded at cost 0');
          return 0;
        });
      const committed = deps.ledger.record({ ...row, cost_nanos: cost }).then(() => {
        if (cost > 0) deps.budgets.spent(s.principal);
      });
      if (deps.durability !== 'async') await committed;
      else committed.catch((err: unknown) => deps.log.error({ err }, 'usage row not committed'));
    },
  };
}

export type UsageGateway = ReturnType<typeof createUsageGateway>;

async function holdModelSlot(limiter: RateLimiter, p: Principal, deployment: string): Promise<() => void> {
  const limit = p.limits?.models?.[deployment]?.concurrent;
  if (limit === undefined) return () => {};
  const lease = await limiter.acquire(`key:${p.keyId}:model:${deployment}`, limit);
  if (!lease.allowed) {
    throw new AppError(
      'rate_limit_exceeded',
      `This key allows ${limit} requests at once on '${deployment}'.`,
      {
        retryAfterS: 1,
      },
    );
  }
  return () => void lease.release();
}
