import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client.js';
import { startOfUtcDay } from '../format/time.js';

const DAY_MS = 86_400_000;

export function useDeployments(enabled: boolean, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: ['deployments'],
    enabled,
    refetchInterval,
    queryFn: () => call(api.GET('/api/v1/deployments')),
  });
}

/** Requests per model over the last 24 hours. */
export function useTopModels(enabled: boolean) {
  return useQuery({
    queryKey: ['usage', 'top-models'],
    enabled,
    refetchInterval: 15_000,
    queryFn: async () => {
      const from = new Date(Date.now() - DAY_MS).toISOString();
      const report = await call(api.GET('/api/v1/usage', { params: { query: { from, groupBy: 'model' } } }));
      return [...report.data].sort((a, b) => b.requests - a.requests).slice(0, 5);
    },
  });
}

/** What the project spent since midnight UTC. */
export function useSpendToday(enabled: boolean) {
  return useQuery({
    queryKey: ['usage', 'today'],
    enabled,
    refetchInterval: 15_000,
    queryFn: async () => {
      const report = await call(
        api.GET('/api/v1/usage', { params: { query: { from: startOfUtcDay(), groupBy: 'day' } } }),
      );
      return report.data.reduce((sum, b) => sum + b.cost, 0);
    },
  });
}

export function useProjectBudget(enabled: boolean) {
  return useQuery({
    queryKey: ['budgets'],
    enabled,
    queryFn: async () => {
      const list = await call(api.GET('/api/v1/budgets'));
      return list.data.find((b) => b.scope === 'project') ?? null;
    },
  });
}

export function useRecentAudit(enabled: boolean) {
  return useQuery({
    queryKey: ['audit', 'recent'],
    enabled,
    refetchInterval: 15_000,
    queryFn: () => call(api.GET('/api/v1/audit', { params: { query: { limit: 8 } } })),
  });
}
