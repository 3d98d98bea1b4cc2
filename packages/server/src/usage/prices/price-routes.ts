import { priceListSchema, priceRequest, priceSchema } from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../auth/index.js';
import type { PriceService } from './price-service.js';

const read = { auth: { scopes: ['manage'] as const } };
const admin = { auth: { scopes: ['admin'] as const } };
const params = z.object({ name: z.string().max(1024) });
const tags = ['prices'];

/** A price per model: per 1K input and output tokens, per request, per compute-second. */
export const priceRoutes: FastifyPluginAsyncZod<{ prices: PriceService }> = async (app, { prices }) => {
  app.put(
    '/api/v1/models/:name/price',
    {
      config: { ...admin, audit: 'price.set' },
      schema: {
        tags,
        summary: 'Set the price of a model (applies to requests from now on)',
        params,
        body: priceRequest,
        response: { 200: priceSchema },
      },
    },
    async (req) => prices.put(principalOf(req), req.params.name, req.body),
  );
  app.get(
    '/api/v1/models/:name/price',
    {
      config: read,
      schema: { tags, summary: 'The price of a model', params, response: { 200: priceSchema } },
    },
    async (req) => prices.get(principalOf(req), req.params.name),
  );
  app.delete(
    '/api/v1/models/:name/price',
    {
      config: { ...admin, audit: 'price.delete' },
      schema: { tags, summary: 'Remove the price of a model (requests are free)', params },
    },
    async (req, reply) => {
      await prices.delete(principalOf(req), req.params.name);
      return reply.code(204).send();
    },
  );
  app.get(
    '/api/v1/prices',
    {
      config: read,
      schema: { tags, summary: 'Prices of this project’s models', response: { 200: priceListSchema } },
    },
    async (req) => ({ data: await prices.list(principalOf(req)) }),
  );
};
