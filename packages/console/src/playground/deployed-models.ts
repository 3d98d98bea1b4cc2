import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client.js';
import type { ModelTask } from '../api/types.js';

export interface DeployedModel {
  /** The deployment's name: what requests name as `model`. */
  name: string;
  model: string;
  version: number;
}

/** Deployments whose model has one of `tasks` (every deployment when `tasks` is null). */
export function useDeployedModels(tasks: readonly ModelTask[] | null) {
  return useQuery({
    queryKey: ['deployed-models', tasks],
    queryFn: async (): Promise<DeployedModel[]> => {
      const [models, deployments] = await Promise.all([
        call(api.GET('/api/v1/models')),
        call(api.GET('/api/v1/deployments')),
      ]);
      const fits = new Set(
        models.data.filter((m) => tasks === null || tasks.includes(m.task)).map((m) => m.name),
      );
      return deployments.data
        .filter((d) => fits.has(d.model))
        .map((d) => ({ name: d.name, model: d.model, version: d.version }));
    },
  });
}
