import { shadowReportListSchema } from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/index.js';
import type { ShadowReports } from './shadow-report.js';

const read = { auth: { scopes: ['manage', 'infer'] as const } };
const params = z.object({ name: z.string().max(1024) });

export const shadowRoutes: FastifyPluginAsyncZod<{ shadows: ShadowReports }> = async (app, { shadows }) => {
  app.get(
    '/api/v1/deployments/:name/shadows',
    {
      config: read,
      schema: {
        tags: ['deployments'],
        summary:
          'Compare each shadow variant with production: copies sent, dropped and failed, latencies, output agreement',
        params,
        response: { 200: shadowReportListSchema },
      },
    },
    async (req) => ({ data: await shadows.report(principalOf(req), req.params.name) }),
  );
};
