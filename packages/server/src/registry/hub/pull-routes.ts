import {
  pullJobSchema,
  pullListQuery,
  pullListSchema,
  pullPlanRequest,
  pullPlanSchema,
} from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../auth/index.js';
import type { PullService } from './pull-service.js';

const manage = { auth: { scopes: ['manage'] as const } };
const pullParams = z.object({ id: z.string().max(1024) });

/** `/api/v1/pulls`: follow, list and cancel pulls from the Hub; a pull starts at `POST …/versions`. */
export const pullRoutes: FastifyPluginAsyncZod<{ pulls: PullService }> = async (app, { pulls }) => {
  const tags = ['pulls'];
  app.post(
    '/api/v1/pulls/plan',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Resolve a Hub source without pulling: the commit, the files chosen and their sizes',
        body: pullPlanRequest,
        response: { 200: pullPlanSchema },
      },
    },
    async (req) => pulls.plan(req.body.source),
  );
  app.get(
    '/api/v1/pulls',
    {
      config: manage,
      schema: {
        tags,
        summary: 'List pulls, newest first',
        querystring: pullListQuery,
        response: { 200: pullListSchema },
      },
    },
    async (req) => ({ data: await pulls.list(principalOf(req), req.query) }),
  );
  app.get(
    '/api/v1/pulls/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Show a pull: state, bytes, files, version',
        params: pullParams,
        response: { 200: pullJobSchema },
      },
    },
    async (req) => pulls.get(principalOf(req), req.params.id),
  );
  const cancel = {
    config: { ...manage, audit: 'pull.cancel' as const },
    schema: {
      tags,
      summary: 'Cancel a pull that is not registering yet; its partial files are removed',
      params: pullParams,
      response: { 200: pullJobSchema },
    },
  };
  app.post('/api/v1/pulls/:id/cancel', cancel, async (req) => pulls.cancel(principalOf(req), req.params.id));
  app.delete('/api/v1/pulls/:id', cancel, async (req) => pulls.cancel(principalOf(req), req.params.id));
};
