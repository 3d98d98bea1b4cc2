import { apiKeySchema, createdKeySchema, createKeyRequest, keyListSchema } from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/principal-of.js';
import type { KeyService } from './service.js';

const admin = { auth: { scopes: ['admin'] as const } };
const idParams = z.object({ id: z.string().min(1).max(100) });

export const keyRoutes: FastifyPluginAsyncZod<{ keys: KeyService }> = async (app, { keys }) => {
  app.post(
    '/api/v1/keys',
    {
      config: admin,
      schema: {
        tags: ['keys'],
        summary: 'Create an API key (the secret is shown once)',
        body: createKeyRequest,
        response: { 201: createdKeySchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await keys.create(principalOf(request).projectId, request.body)),
  );

  app.get(
    '/api/v1/keys',
    { config: admin, schema: { tags: ['keys'], summary: 'List API keys', response: { 200: keyListSchema } } },
    async (request) => ({ data: await keys.list(principalOf(request).projectId) }),
  );

  app.delete(
    '/api/v1/keys/:id',
    {
      config: admin,
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key',
        params: idParams,
        response: { 200: apiKeySchema },
      },
    },
    async (request) => keys.revoke(principalOf(request).projectId, request.params.id),
  );
};
