import { deploymentSeriesSchema } from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/index.js';
import { type DeploymentSeriesSampler, SERIES_INTERVAL_MS } from '../observability/index.js';
import type { DeploymentService } from './service.js';

/** `GET /api/v1/deployments/{name}/series`: the last minutes of a deployment's serving figures. */
export const deploymentSeriesRoute: FastifyPluginAsyncZod<{
  deployments: DeploymentService;
  series: DeploymentSeriesSampler;
}> = async (app, { deployments, series }) => {
  app.get(
    '/api/v1/deployments/:name/series',
    {
      config: { auth: { scopes: ['manage', 'infer'] as const } },
      schema: {
        tags: ['deployments'],
        summary:
          "A deployment's serving figures over the last 10 minutes, one point per 5 s (requests and errors/s, queue, compute, batch size, time to first token, tokens/s), from this replica's metrics",
        params: z.object({ name: z.string().max(1024) }),
        response: { 200: deploymentSeriesSchema },
      },
    },
    async (req) => {
      // Another project's deployment answers 404 like every deployment route.
      const d = await deployments.get(principalOf(req), req.params.name);
      return { deployment: d.name, intervalSeconds: SERIES_INTERVAL_MS / 1000, points: series.of(d.name) };
    },
  );
};
