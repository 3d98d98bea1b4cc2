import { createDatasetQuery, datasetSchema } from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../auth/index.js';
import { acceptUploads, readUploadBody } from '../platform/uploads/index.js';
import type { DatasetService } from './service.js';

/**
 * `POST /api/v1/datasets?name=…`: the file is the raw body or the multipart `file` part, streamed to
 * disk, never buffered whole.
 */
export const datasetUploadRoute: FastifyPluginAsyncZod<{ datasets: DatasetService }> = async (
  app,
  { datasets },
) => {
  await acceptUploads(app);
  app.post(
    '/api/v1/datasets',
    {
      config: { auth: { scopes: ['manage'] }, audit: 'dataset.create' },
      schema: {
        tags: ['datasets'],
        summary: 'Upload a dataset (CSV, JSON Lines, or a tar of image class folders)',
        description:
          'Send the file as the raw body (`text/csv`, `application/x-ndjson`, `application/x-tar`, ' +
          '`application/gzip`…) or as multipart/form-data with a `file` field. The format is detected ' +
          '(archive bytes, then Content-Type or file extension, then the first character) unless `format` ' +
          'names it. The schema is inferred at upload; limits and errors are in docs/datasets.md.',
        querystring: createDatasetQuery,
        response: { 201: datasetSchema },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const dataset = await readUploadBody(request, (body) =>
        datasets.create(p, request.query, {
          body: body.stream,
          expectedBytes: body.expectedBytes,
          mediaType: body.mediaType,
          fileName: body.fileName,
        }),
      );
      return reply.code(201).send(dataset);
    },
  );
};
