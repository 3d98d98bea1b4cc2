import type { Price, PriceRequest } from '@modelport/contracts';
import { priceRequest } from '@modelport/contracts';
import type { Principal } from '../../auth/index.js';
import { AppError } from '../../platform/errors/index.js';
import type { Clock } from '../../platform/index.js';
import { fromNanos, toNanos } from '../money.js';
import type { PriceRepo, PriceRow } from './price-repo.js';

/** A price change reaches other replicas within this long; this replica sees it at once. */
export const PRICE_CACHE_MS = 5_000;

export interface Metered {
  tokensIn: number;
  tokensOut: number;
  computeMs: number;
}

export interface PriceServiceDeps {
  repo: PriceRepo;
  clock: Clock;
  /** Throws `model_not_found` when the caller's project has no such model. */
  assertModel(p: Principal, model: string): Promise<void>;
}

export function createPriceService(deps: PriceServiceDeps) {
  const cache = new Map<string, { row: PriceRow | undefined; at: number }>();
  const cacheKey = (projectId: string, model: string) => `${projectId}\u0000${model}`;

  async function lookup(projectId: string, model: string): Promise<PriceRow | undefined> {
    const id = cacheKey(projectId, model);
    const now = Date.now();
    const hit = cache.get(id);
    if (hit && now - hit.at < PRICE_CACHE_MS) return hit.row;
    const row = await deps.repo.get(projectId, model);
    if (cache.size > 10_000) cache.clear();
    cache.set(id, { row, at: now });
    return row;
  }

  return {
    /** What one request cost, in nano-units; 0 for a model without a price. */
    async costNanos(projectId: string, model: string, use: Metered): Promise<number> {
      const price = await lookup(projectId, model);
      if (!price) return 0;
      return (
        price.per_request_nanos +
        Math.round((use.tokensIn * price.input_per_1k_nanos) / 1000) +
        Math.round((use.tokensOut * price.output_per_1k_nanos) / 1000) +
        Math.round((use.computeMs * price.per_compute_second_nanos) / 1000)
      );
    },

    async put(p: Principal, model: string, input: PriceRequest): Promise<Price> {
      await deps.assertModel(p, model);
      const req = priceRequest.parse(input);
      const row: PriceRow = {
        project_id: p.projectId,
        model,
        input_per_1k_nanos: toNanos(req.inputPer1kTokens),
        output_per_1k_nanos: toNanos(req.outputPer1kTokens),
        per_request_nanos: toNanos(req.perRequest),
        per_compute_second_nanos: toNanos(req.perComputeSecond),
        updated_at: deps.clock.now().toISOString(),
      };
      await deps.repo.put(row);
      cache.delete(cacheKey(p.projectId, model));
      return toPrice(row);
    },

    async get(p: Principal, model: string): Promise<Price> {
      await deps.assertModel(p, model);
      const row = await deps.repo.get(p.projectId, model);
      if (!row) throw new AppError('price_not_found', `Model '${model}' has no price.`);
      return toPrice(row);
    },

    async list(p: Principal): Promise<Price[]> {
      return (await deps.repo.list(p.projectId)).map(toPrice);
    },

    async delete(p: Principal, model: string): Promise<void> {
      await deps.assertModel(p, model);
      if (!(await deps.repo.delete(p.projectId, model)))
        throw new AppError('price_not_found', `Model '${model}' has no price.`);
      cache.delete(cacheKey(p.projectId, model));
    },
  };
}

export type PriceService = ReturnType<typeof createPriceService>;

function toPrice(row: PriceRow): Price {
  return {
    model: row.model,
    inputPer1kTokens: fromNanos(row.input_per_1k_nanos),
    outputPer1kTokens: fromNanos(row.output_per_1k_nanos),
    perRequest: fromNanos(row.per_request_nanos),
    perComputeSecond: fromNanos(row.per_compute_second_nanos),
    updatedAt: row.updated_at,
  };
}
