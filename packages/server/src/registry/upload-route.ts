import type { Readable } from 'node:stream';
import multipart, { type MultipartFile } from '@fastify/multipart';
import {
  type ModelVersion,
  modelVersionSchema,
  pullJobSchema,
  pullRequestSchema,
  type VersionConfig,
  versionConfigSchema,
} from '@modelport/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/index.js';
import { AppError, parseOrThrow } from '../platform/errors/index.js';
import type { PullService } from './hub/pull-service.js';
import type { RegistryService } from './service.js';

const CONFIG_HEADER = 'modelport-config';

/**
 * `POST /api/v1/models/{name}/versions`: the artifact is the raw body (any content type but JSON) or
 * the `file` field of a multipart form. Either way it is streamed to disk, never buffered whole. A
 * JSON body (`{"source":"hf://…"}`) starts a pull from the Hugging Face Hub instead (202).
 */
export const uploadRoute: FastifyPluginAsyncZod<{ registry: RegistryService; pulls: PullService }> = async (
  app,
  { registry, pulls },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
  await app.register(multipart, {
    limits: { files: 1, fields: 10, fieldSize: 1024 * 1024, parts: 20, fileSize: Number.MAX_SAFE_INTEGER },
  });

  app.post(
    '/api/v1/models/:name/versions',
    {
      config: { auth: { scopes: ['manage'] }, audit: 'version.upload' },
      schema: {
        tags: ['models'],
        summary: 'Upload a new immutable version (ONNX, GGUF or a tar of a model folder), or pull one',
        description:
          'Send the artifact as the raw body (optional JSON config in the `Modelport-Config` header) or as ' +
          'multipart/form-data with a `file` field and an optional `config` field before it. Format is detected from content. ' +
          'A JSON body `{"source":"hf://org/repo[@revision][/path][:quantization]","config":{…}}` pulls from the Hugging Face Hub ' +
          'instead: 202 with the pull, which `GET /api/v1/pulls/{id}` follows (docs/hub.md).',
        params: z.object({ name: z.string().max(1024) }),
        response: { 201: modelVersionSchema, 202: pullJobSchema },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const name = request.params.name;
      await registry.requireModel(p, name);
      if (isJson(request)) {
        const pull = await pulls.start(
          p,
          name,
          parseOrThrow(pullRequestSchema, request.body, 'pull request'),
        );
        return reply.code(202).send(pull);
      }
      const version = request.isMultipart()
        ? await uploadMultipart(request, registry, name)
        : await registry.uploadVersion(p, name, {
            body: request.body as Readable,
            expectedBytes: contentLength(request),
            config: parseConfig(request.headers[CONFIG_HEADER], `the ${CONFIG_HEADER} header`),
          });
      return reply.code(201).send(version);
    },
  );
};

async function uploadMultipart(
  request: FastifyRequest,
  registry: RegistryService,
  name: string,
): Promise<ModelVersion> {
  const p = principalOf(request);
  let config: VersionConfig | undefined;
  let version: ModelVersion | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file')
        throw new AppError('validation_failed', 'The artifact goes in the `file` field.');
      version = await registry.uploadVersion(p, name, { body: (part as MultipartFile).file, config });
    } else if (part.fieldname === 'config') {
      config = parseConfig(part.value, 'the config field');
    }
  }
  if (!version) throw new AppError('validation_failed', 'The form has no `file` field.');
  if (config && JSON.stringify(config) !== JSON.stringify(version.config)) {
    // The config field came after the file: apply it now (config is mutable, the artifact is not).
    return registry.setVersionConfig(p, { model: name, kind: 'number', version: version.version }, config);
  }
  return version;
}

function isJson(request: FastifyRequest): boolean {
  return /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
}

function contentLength(request: FastifyRequest): number | undefined {
  const value = request.headers['content-length'];
  return value === undefined ? undefined : Number(value);
}

function parseConfig(raw: unknown, where: string): VersionConfig | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new AppError('validation_failed', `${where} must be a JSON object.`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new AppError('invalid_json', `${where} is not valid JSON.`);
  }
  const parsed = versionConfigSchema.safeParse(value);
  if (!parsed.success) throw new AppError('validation_failed', `${where} must be a JSON object.`);
  return parsed.data;
}
