import {
  apiKeySchema,
  createdKeySchema,
  createKeyRequest,
  keyListSchema,
  MAX_KEY_GRACE_SECONDS,
  rotateKeyRequest,
} from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from './principal-of.js';
import type { KeyService } from './service.js';

const admin = { auth: { scopes: ['admin'] as const } };
/** No scope named: any valid key may read itself. */
const anyKey = { auth: { scopes: [] as const } };
const idParams = z.object({ id: z.string().min(1).max(100) });
const tags = ['keys'];

export const keyRoutes: FastifyPluginAsyncZod<{ keys: KeyService }> = async (app, { keys }) => {
  app.post(
    '/api/v1/keys',
    {
      config: { ...admin, audit: 'key.create' },
      schema: {
        tags,
        summary: 'Create an API key (the secret is shown once)',
        body: createKeyRequest,
        response: { 201: createdKeySchema },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      return reply.code(201).send(await keys.create(p.projectId, request.body, { by: p }));
    },
  );

  app.get(
    '/api/v1/keys',
    { config: admin, schema: { tags, summary: 'List API keys', response: { 200: keyListSchema } } },
    async (request) => ({ data: await keys.list(principalOf(request).projectId) }),
  );

  app.get(
    '/api/v1/keys/self',
    {
      config: anyKey,
      schema: {
        tags,
        summary: 'Show the calling key: its scopes, model allow-list and limits (any key may ask)',
        response: { 200: apiKeySchema },
      },
    },
    async (request) => keys.self(principalOf(request)),
  );

  app.get(
    '/api/v1/keys/:id',
    {
      config: admin,
      schema: { tags, summary: 'Show an API key', params: idParams, response: { 200: apiKeySchema } },
    },
    async (request) => keys.get(principalOf(request), request.params.id),
  );

  app.delete(
    '/api/v1/keys/:id',
    {
      config: { ...admin, audit: 'key.revoke' },
      schema: { tags, summary: 'Revoke an API key', params: idParams, response: { 200: apiKeySchema } },
    },
    async (request) => keys.revoke(principalOf(request), request.params.id),
  );

  app.post(
    '/api/v1/keys/:id/rotate',
    {
      config: { ...admin, audit: 'key.rotate' },
      schema: {
        tags,
        summary: 'Rotate an API key: a new secret (shown once) under the same id',
        description:
          'The old secret keeps working for `gracePeriodSeconds` (default one day, 0 = stop at once, ' +
          `at most ${MAX_KEY_GRACE_SECONDS}), then answers 401 \`api_key_rotated\`.`,
        params: idParams,
        // Optional: a bare POST rotates with the default grace period.
        body: rotateKeyRequest.nullish(),
        response: { 200: createdKeySchema },
      },
    },
    async (request) => keys.rotate(principalOf(request), request.params.id, request.body ?? {}),
  );
};
