import { datasetListSchema, datasetSchema } from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/index.js';
import type { DatasetService } from './service.js';
import { datasetUploadRoute } from './upload-route.js';

const read = { auth: { scopes: ['manage', 'infer'] as const } };
const write = { auth: { scopes: ['manage'] as const } };
// Any id reaches the service, so an unknown one answers 404, never a validation error.
const idParams = z.object({ id: z.string().max(1024) });

export const datasetRoutes: FastifyPluginAsyncZod<{ datasets: DatasetService }> = async (
  app,
  { datasets },
) => {
  const tags = ['datasets'];
  await app.register(datasetUploadRoute, { datasets });
  app.get(
    '/api/v1/datasets',
    {
      config: read,
      schema: {
        tags,
        summary: "List the project's datasets, newest first",
        response: { 200: datasetListSchema },
      },
    },
    async (req) => ({ data: await datasets.list(principalOf(req)) }),
  );
  app.get(
    '/api/v1/datasets/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Show a dataset and the schema inferred at upload',
        params: idParams,
        response: { 200: datasetSchema },
      },
    },
    async (req) => datasets.get(principalOf(req), req.params.id),
  );
  app.delete(
    '/api/v1/datasets/:id',
    {
      config: { ...write, audit: 'dataset.delete' },
      schema: {
        tags,
        summary: 'Delete a dataset (its bytes go when nothing else uses them)',
        params: idParams,
      },
    },
    async (req, reply) => {
      await datasets.delete(principalOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
};
