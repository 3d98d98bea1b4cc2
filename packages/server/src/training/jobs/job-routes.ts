import {
  createTrainingJobRequest,
  modelVersionSchema,
  registerTrainingJobRequest,
  trainingJobListQuery,
  trainingJobListSchema,
  trainingJobSchema,
  trainingLogListSchema,
} from '@modelport/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../auth/index.js';
import { EventStream } from '../../platform/http/index.js';
import type { Clock } from '../../platform/index.js';
import { followJob } from './follow-job.js';
import type { JobJournal } from './job-journal.js';
import type { JobRepo } from './job-repo.js';
import type { TrainingJobService } from './job-service.js';

const manage = { auth: { scopes: ['manage'] as const } };
const params = z.object({ id: z.string().max(100) });
const eventsQuery = z.strictObject({
  /** Events after this sequence number (a reconnecting client's `Last-Event-ID` does the same). */
  after: z.coerce.number().int().min(0).optional(),
});
/** `POST …/cancel` takes no body, or an empty JSON object. */
const emptyBody = z.strictObject({}).nullish();
const tags = ['training'];

export interface TrainingRoutesOptions {
  jobs: TrainingJobService;
  repo: JobRepo;
  journal: JobJournal;
  clock: Clock;
}

export const trainingRoutes: FastifyPluginAsyncZod<TrainingRoutesOptions> = async (app, options) => {
  const { jobs } = options;
  app.post(
    '/api/v1/training/jobs',
    {
      config: { ...manage, audit: 'training.create' },
      schema: {
        tags,
        summary:
          'Train a model on a dataset in a worker; on success export it to ONNX, register it as a version, deploy it if asked',
        body: createTrainingJobRequest,
        response: { 201: trainingJobSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await jobs.create(principalOf(req), req.body)),
  );
  app.get(
    '/api/v1/training/jobs',
    {
      config: manage,
      schema: {
        tags,
        summary: 'List the project’s training jobs, newest first',
        querystring: trainingJobListQuery,
        response: { 200: trainingJobListSchema },
      },
    },
    async (req) => ({ data: await jobs.list(principalOf(req), req.query) }),
  );
  app.get(
    '/api/v1/training/jobs/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Show a training job: state, progress, every epoch’s metrics, the result or the error',
        params,
        response: { 200: trainingJobSchema },
      },
    },
    async (req) => jobs.get(principalOf(req), req.params.id),
  );
  app.post(
    '/api/v1/training/jobs/:id/cancel',
    {
      config: { ...manage, audit: 'training.cancel' },
      schema: {
        tags,
        summary: 'Cancel a training job: its worker is stopped and its files removed',
        params,
        body: emptyBody,
        response: { 200: trainingJobSchema },
      },
    },
    async (req) => jobs.cancel(principalOf(req), req.params.id),
  );
  app.post(
    '/api/v1/training/jobs/:id/register',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Register the model of a job that succeeded with `register: false` as the next version of its model (or `model`)',
        params,
        body: registerTrainingJobRequest,
        response: { 201: modelVersionSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await jobs.register(principalOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/v1/training/jobs/:id/logs',
    {
      config: manage,
      schema: {
        tags,
        summary: 'A training job’s log lines, in order',
        params,
        response: { 200: trainingLogListSchema },
      },
    },
    async (req) => ({ data: await jobs.logs(principalOf(req), req.params.id) }),
  );
  app.get(
    '/api/v1/training/jobs/:id/events',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Server-Sent Events of a training job: what happened so far, then states, progress, epochs and logs as they come; ends once the job has ended',
        params,
        querystring: eventsQuery,
      },
    },
    async (req, reply) => {
      const row = await jobs.requireJob(principalOf(req), req.params.id);
      const stream = EventStream.open(reply);
      await followJob(options, row.id, stream, req.query.after ?? lastEventId(req.headers['last-event-id']));
    },
  );
};

function lastEventId(header: string | string[] | undefined): number {
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}
