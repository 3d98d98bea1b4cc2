import { modelVersionSchema, type VersionConfig, versionConfigSchema } from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/index.js';
import { AppError } from '../platform/errors/index.js';
import { acceptUploads, readUploadBody } from '../platform/uploads/index.js';
import type { RegistryService } from './service.js';

const CONFIG_HEADER = 'modelport-config';

/**
 * `POST /api/v1/models/{name}/versions`: the artifact is the raw body (any content type) or the
 * `file` field of a multipart form. Either way it is streamed to disk, never buffered whole.
 */
export const uploadRoute: FastifyPluginAsyncZod<{ registry: RegistryService }> = async (
  app,
  { registry },
) => {
  await acceptUploads(app);

  app.post(
    '/api/v1/models/:name/versions',
    {
      config: { auth: { scopes: ['manage'] }, audit: 'version.upload' },
      schema: {
        tags: ['models'],
        summary: 'Upload a new immutable version (ONNX, GGUF or a tar of a model folder)',
        description:
          'Send the artifact as the raw body (optional JSON config in the `Modelport-Config` header) or as ' +
          'multipart/form-data with a `file` field and an optional `config` field before it. Format is detected from content.',
        params: z.object({ name: z.string().max(1024) }),
        response: { 201: modelVersionSchema },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const name = request.params.name;
      await registry.requireModel(p, name);
      const multipart = request.isMultipart();
      let config = multipart
        ? undefined
        : parseConfig(request.headers[CONFIG_HEADER], `the ${CONFIG_HEADER} header`);
      let version = await readUploadBody(
        request,
        (body) =>
          registry.uploadVersion(p, name, { body: body.stream, expectedBytes: body.expectedBytes, config }),
        (field, value) => {
          if (field === 'config') config = parseConfig(value, 'the config field');
        },
      );
      if (config && JSON.stringify(config) !== JSON.stringify(version.config)) {
        // The config field came after the file: apply it now (config is mutable, the artifact is not).
        const ref = { model: name, kind: 'number', version: version.version } as const;
        version = await registry.setVersionConfig(p, ref, config);
      }
      return reply.code(201).send(version);
    },
  );
};

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
