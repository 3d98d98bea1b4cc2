import {
  createdKeySchema,
  createKeyRequest,
  createProjectRequest,
  projectListSchema,
  projectSchema,
} from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { KeyService } from '../auth/index.js';
import { principalOf } from '../auth/index.js';
import type { ProjectService } from './service.js';

const orgAdmin = { auth: { scopes: ['org_admin'] as const } };
const admin = { auth: { scopes: ['admin'] as const } };
const idParams = z.object({ id: z.string().min(1).max(100) });
const tags = ['projects'];

export const projectRoutes: FastifyPluginAsyncZod<{ projects: ProjectService; keys: KeyService }> = async (
  app,
  { projects, keys },
) => {
  app.post(
    '/api/v1/projects',
    {
      config: { ...orgAdmin, audit: 'project.create' },
      schema: {
        tags,
        summary: "Create a project in the key's organization",
        body: createProjectRequest,
        response: { 201: projectSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await projects.create(principalOf(req), req.body)),
  );
  app.get(
    '/api/v1/projects',
    {
      config: orgAdmin,
      schema: { tags, summary: "List the organization's projects", response: { 200: projectListSchema } },
    },
    async (req) => ({ data: await projects.list(principalOf(req)) }),
  );
  app.get(
    '/api/v1/projects/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: "Show a project (the key's own, or any of the organization's for org_admin)",
        params: idParams,
        response: { 200: projectSchema },
      },
    },
    async (req) => projects.get(principalOf(req), req.params.id),
  );
  app.post(
    '/api/v1/projects/:id/keys',
    {
      config: { ...orgAdmin, audit: 'key.create' },
      schema: {
        tags,
        summary: 'Create an API key in a project of the organization (the secret is shown once)',
        params: idParams,
        body: createKeyRequest,
        response: { 201: createdKeySchema },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const project = await projects.requireVisible(p, req.params.id);
      return reply.code(201).send(await keys.create(project.id, req.body, { by: p }));
    },
  );
};
