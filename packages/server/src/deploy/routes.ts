import {
  createDeploymentRequest,
  deploymentListSchema,
  deploymentSchema,
  revisionListSchema,
  setVariantsRequest,
  updateDeploymentRequest,
} from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/index.js';
import type { DeploymentService } from './service.js';

const read = { auth: { scopes: ['manage', 'infer'] as const } };
const write = { auth: { scopes: ['manage'] as const } };
const params = z.object({ name: z.string().max(1024) });
const tags = ['deployments'];

export const deploymentRoutes: FastifyPluginAsyncZod<{ deployments: DeploymentService }> = async (
  app,
  { deployments },
) => {
  app.post(
    '/api/v1/deployments',
    {
      config: { ...write, audit: 'deployment.create' },
      schema: {
        tags,
        summary: 'Serve a model version (starts its runner processes; answers once ready)',
        body: createDeploymentRequest,
        response: { 201: deploymentSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await deployments.create(principalOf(req), req.body)),
  );
  app.get(
    '/api/v1/deployments',
    { config: read, schema: { tags, summary: 'List deployments', response: { 200: deploymentListSchema } } },
    async (req) => ({ data: await deployments.list(principalOf(req)) }),
  );
  app.get(
    '/api/v1/deployments/:name',
    {
      config: read,
      schema: {
        tags,
        summary: 'Show a deployment and its instances',
        params,
        response: { 200: deploymentSchema },
      },
    },
    async (req) => deployments.get(principalOf(req), req.params.name),
  );
  app.patch(
    '/api/v1/deployments/:name',
    {
      config: { ...write, audit: 'deployment.update' },
      schema: {
        tags,
        summary: 'Swap to another version without dropping requests, or change the instance count',
        params,
        body: updateDeploymentRequest,
        response: { 200: deploymentSchema },
      },
    },
    async (req) => deployments.update(principalOf(req), req.params.name, req.body),
  );
  app.put(
    '/api/v1/deployments/:name/variants',
    {
      config: { ...write, audit: 'deployment.update' },
      schema: {
        tags,
        summary:
          'Set the production variants and their weights (a new revision; new pools ready before traffic moves)',
        params,
        body: setVariantsRequest,
        response: { 200: deploymentSchema },
      },
    },
    async (req) => deployments.setVariants(principalOf(req), req.params.name, req.body),
  );
  app.get(
    '/api/v1/deployments/:name/revisions',
    {
      config: read,
      schema: {
        tags,
        summary: 'List the revisions of a deployment, oldest first',
        params,
        response: { 200: revisionListSchema },
      },
    },
    async (req) => ({ data: await deployments.revisions(principalOf(req), req.params.name) }),
  );
  app.delete(
    '/api/v1/deployments/:name',
    {
      config: { ...write, audit: 'deployment.delete' },
      schema: { tags, summary: 'Stop serving (queued requests finish first)', params },
    },
    async (req, reply) => {
      await deployments.delete(principalOf(req), req.params.name);
      return reply.code(204).send();
    },
  );
};
