import {
  aliasSchema,
  createModelRequest,
  modelListSchema,
  modelSchema,
  modelVersionSchema,
  patchVersionRequest,
  setAliasRequest,
  versionListSchema,
} from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/index.js';
import { pullRoutes } from './hub/pull-routes.js';
import type { PullService } from './hub/pull-service.js';
import type { RegistryService } from './service.js';
import { uploadRoute } from './upload-route.js';
import { parseVersionSegment } from './version-ref.js';

const read = { auth: { scopes: ['manage', 'infer'] as const } };
const write = { auth: { scopes: ['manage'] as const } };
// Path segments are checked by the service, so a bad name answers as a missing model, never a 500.
const modelParams = z.object({ name: z.string().max(1024) });
const versionParams = modelParams.extend({ version: z.string().max(1024) });
const aliasParams = modelParams.extend({ alias: z.string().max(1024) });

export const registryRoutes: FastifyPluginAsyncZod<{
  registry: RegistryService;
  pulls: PullService;
}> = async (app, { registry, pulls }) => {
  const tags = ['models'];
  app.post(
    '/api/v1/models',
    {
      config: { ...write, audit: 'model.create' },
      schema: { tags, summary: 'Create a model', body: createModelRequest, response: { 201: modelSchema } },
    },
    async (req, reply) => reply.code(201).send(await registry.createModel(principalOf(req), req.body)),
  );
  app.get(
    '/api/v1/models',
    { config: read, schema: { tags, summary: 'List models', response: { 200: modelListSchema } } },
    async (req) => ({ data: await registry.listModels(principalOf(req)) }),
  );
  app.get(
    '/api/v1/models/:name',
    {
      config: read,
      schema: { tags, summary: 'Show a model', params: modelParams, response: { 200: modelSchema } },
    },
    async (req) => registry.getModel(principalOf(req), req.params.name),
  );
  app.delete(
    '/api/v1/models/:name',
    {
      config: { ...write, audit: 'model.delete' },
      schema: { tags, summary: 'Delete a model, its versions and aliases', params: modelParams },
    },
    async (req, reply) => {
      await registry.deleteModel(principalOf(req), req.params.name);
      return reply.code(204).send();
    },
  );
  await app.register(uploadRoute, { registry, pulls });
  await app.register(pullRoutes, { pulls });
  app.get(
    '/api/v1/models/:name/versions',
    {
      config: read,
      schema: { tags, summary: 'List versions', params: modelParams, response: { 200: versionListSchema } },
    },
    async (req) => ({ data: await registry.listVersions(principalOf(req), req.params.name) }),
  );
  app.get(
    '/api/v1/models/:name/versions/:version',
    {
      config: read,
      schema: {
        tags,
        summary: 'Show a version (number or alias)',
        params: versionParams,
        response: { 200: modelVersionSchema },
      },
    },
    async (req) =>
      registry.getVersion(principalOf(req), parseVersionSegment(req.params.name, req.params.version)),
  );
  app.patch(
    '/api/v1/models/:name/versions/:version',
    {
      config: { ...write, audit: 'version.update' },
      schema: {
        tags,
        summary: "Replace a version's config (the artifact never changes)",
        params: versionParams,
        body: patchVersionRequest,
        response: { 200: modelVersionSchema },
      },
    },
    async (req) =>
      registry.setVersionConfig(
        principalOf(req),
        parseVersionSegment(req.params.name, req.params.version),
        req.body.config,
      ),
  );
  app.get(
    '/api/v1/models/:name/versions/:version/artifact',
    { config: read, schema: { tags, summary: 'Download the artifact bytes', params: versionParams } },
    async (req, reply) => {
      const ref = parseVersionSegment(req.params.name, req.params.version);
      const artifact = await registry.openArtifact(principalOf(req), ref);
      return reply
        .type('application/octet-stream')
        .header('content-length', artifact.sizeBytes)
        .header('content-disposition', `attachment; filename="${artifact.fileName}"`)
        .header('digest', `sha-256=${Buffer.from(artifact.sha256, 'hex').toString('base64')}`)
        .send(artifact.stream);
    },
  );
  app.put(
    '/api/v1/models/:name/aliases/:alias',
    {
      config: { ...write, audit: 'alias.set' },
      schema: {
        tags,
        summary: 'Point an alias at a version',
        params: aliasParams,
        body: setAliasRequest,
        response: { 200: aliasSchema },
      },
    },
    async (req) => registry.setAlias(principalOf(req), req.params.name, req.params.alias, req.body.version),
  );
  app.delete(
    '/api/v1/models/:name/aliases/:alias',
    {
      config: { ...write, audit: 'alias.delete' },
      schema: { tags, summary: 'Remove an alias', params: aliasParams },
    },
    async (req, reply) => {
      await registry.deleteAlias(principalOf(req), req.params.name, req.params.alias);
      return reply.code(204).send();
    },
  );
};
