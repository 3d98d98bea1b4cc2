import {
  promoteRolloutRequest,
  rolloutListSchema,
  rolloutSchema,
  startRolloutRequest,
} from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../auth/index.js';
import type { RolloutService } from './rollout-service.js';

const read = { auth: { scopes: ['manage', 'infer'] as const } };
const write = { auth: { scopes: ['manage'] as const } };
const params = z.object({ name: z.string().max(1024) });
/** `current`: the rollout in progress, else the latest one. */
const rolloutParams = params.extend({ id: z.string().max(100) });
const emptyBody = z.strictObject({}).optional();
const tags = ['rollouts'];

export const rolloutRoutes: FastifyPluginAsyncZod<{ rollouts: RolloutService }> = async (
  app,
  { rollouts },
) => {
  app.post(
    '/api/v1/deployments/:name/rollouts',
    {
      config: { ...write, audit: 'rollout.start' },
      schema: {
        tags,
        summary:
          'Roll out a new revision of variants: all at once, canary, linear or rolling, guarded by live metrics with automatic rollback',
        params,
        body: startRolloutRequest,
        response: { 202: rolloutSchema },
      },
    },
    async (req, reply) =>
      reply.code(202).send(await rollouts.start(principalOf(req), req.params.name, req.body)),
  );
  app.get(
    '/api/v1/deployments/:name/rollouts',
    {
      config: read,
      schema: {
        tags,
        summary: 'List the rollouts of a deployment, newest first',
        params,
        response: { 200: rolloutListSchema },
      },
    },
    async (req) => ({ data: await rollouts.list(principalOf(req), req.params.name) }),
  );
  app.get(
    '/api/v1/deployments/:name/rollouts/:id',
    {
      config: read,
      schema: {
        tags,
        summary:
          'Show a rollout (`current`: the one in progress, else the latest): its step and last evaluation',
        params: rolloutParams,
        response: { 200: rolloutSchema },
      },
    },
    async (req) => rollouts.get(principalOf(req), req.params.name, req.params.id),
  );
  const action = (verb: 'pause' | 'resume' | 'abort', summary: string) =>
    app.post(
      `/api/v1/deployments/:name/rollouts/:id/${verb}`,
      {
        config: { ...write, audit: `rollout.${verb}` as const },
        schema: { tags, summary, params: rolloutParams, body: emptyBody, response: { 200: rolloutSchema } },
      },
      async (req) => rollouts[verb](principalOf(req), req.params.name, req.params.id),
    );
  action('pause', 'Pause the rollout: the share stays, the bake stops, the guardrails keep watching');
  action('resume', 'Resume a paused rollout: the current step bakes again');
  action('abort', 'Roll back to the revision the rollout started from (traffic moves at once)');
  app.post(
    '/api/v1/deployments/:name/rollouts/:id/promote',
    {
      config: { ...write, audit: 'rollout.promote' },
      schema: {
        tags,
        summary: 'Go to the next step now, or with `all` to 100% and done',
        params: rolloutParams,
        body: promoteRolloutRequest.optional(),
        response: { 200: rolloutSchema },
      },
    },
    async (req) => rollouts.promote(principalOf(req), req.params.name, req.params.id, req.body ?? {}),
  );
};
