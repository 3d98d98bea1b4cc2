import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors/index.js';
import { abortOnClose } from '../../platform/http/index.js';
import type { RunnerSpec } from '../../wire/runner/index.js';
import type { InferenceQueue, TaskModel, Timed } from '../transformers/index.js';
import { createRunnerApp } from './runner-app.js';
import { parseEmbedBody, parsePredictRequest } from './transformers-request-schema.js';

export type TransformersServerSpec = Pick<RunnerSpec, 'timeoutMs'> &
  Partial<Pick<RunnerSpec, 'maxBodyBytes'>>;

const defaultBodyLimit = 64 * 1024 * 1024;

/**
 * A transformers runner's side of the internal protocol: JSON `PredictRequest` in (media base64),
 * `PredictResponse` out, and `/v1/embed` shaped as the llama runner's so the OpenAI embeddings
 * route serves both. Errors are `{error, code, param?}`; queue and compute times travel in `x-*` headers.
 */
export function buildTransformersServer(
  spec: TransformersServerSpec,
  model: TaskModel,
  queue: InferenceQueue,
): FastifyInstance {
  const app = createRunnerApp('transformers runner', spec.maxBodyBytes ?? defaultBodyLimit);
  app.get('/v1/info', async () => model.info);
  app.get('/v1/stats', async () => ({ running: queue.running ? 1 : 0, waiting: queue.waiting }));
  app.post('/v1/predict', async (request, reply) => {
    const work = model.prepare(parsePredictRequest(request.body, model.info.task));
    return timed(reply, await queue.run(work, queueOptions(spec, request, reply)));
  });
  app.post('/v1/embed', async (request, reply) => {
    if (!model.embed)
      throw new AppError(
        'task_not_supported',
        `This model does ${model.info.task}; /v1/embed needs feature-extraction.`,
      );
    const work = model.embed(parseEmbedBody(request.body).input);
    return timed(reply, await queue.run(work, queueOptions(spec, request, reply)));
  });
  return app;
}

function timed<T>(reply: FastifyReply, result: Timed<T>): T {
  reply.header('x-queue-ms', result.queueMs.toFixed(3)).header('x-compute-ms', result.computeMs.toFixed(3));
  return result.value;
}

/** The caller's deadline (`x-timeout-ms`, else the deployment's) and its going away. */
function queueOptions(spec: TransformersServerSpec, request: FastifyRequest, reply: FastifyReply) {
  const header = Number(request.headers['x-timeout-ms']);
  return {
    signal: abortOnClose(reply),
    timeoutMs: Number.isFinite(header) && header > 0 ? header : spec.timeoutMs,
  };
}
