import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GenerationEvent, PredictRequest } from '../../wire/index.js';
import type { Timed } from '../queue/index.js';
import { queueOptions } from './queue-options.js';
import { createRunnerApp } from './runner-app.js';
import { parseEmbedRequest, parseGenerationRequest } from './runner-request-schemas.js';
import type { RunnerServerSpec } from './runner-server-spec.js';
import type { ServedModel } from './served-model.js';
import { tensorRoutes } from './tensor-routes.js';

/**
 * The runner's side of the internal protocol, one server for every backend: health, `/v1/info`
 * and `/v1/stats` always, then the routes of each capability the model serves (tensors as OIP v2
 * with binary tensors; predict and embed as JSON; generation as an NDJSON stream of events).
 * Errors are `{error, code, param?}`; queue and compute times travel back in `x-*` headers.
 */
export async function buildRunnerServer(
  spec: RunnerServerSpec,
  model: ServedModel,
): Promise<FastifyInstance> {
  const app = createRunnerApp(spec.maxBodyBytes);
  app.get('/v1/info', async () => model.info());
  app.get('/v1/stats', async () => model.stats());
  if (model.capabilities.has('tensors')) await app.register(tensorRoutes, { spec, model });
  app.post('/v1/predict', async (request, reply) =>
    timed(reply, await model.predict(request.body as PredictRequest, queueOptions(spec, request, reply))),
  );
  app.post('/v1/embed', async (request, reply) =>
    timed(reply, await model.embed(parseEmbedRequest(request.body), queueOptions(spec, request, reply))),
  );
  app.post('/v1/generate', async (request, reply) => {
    const body = parseGenerationRequest(request.body);
    const events = model.generate(body, queueOptions(spec, request, reply))[Symbol.asyncIterator]();
    // Waiting for the first event keeps refusals (400, 503, 504) as HTTP errors.
    const first = await events.next();
    // A stream destroyed before it was read never runs ndjson's cleanup; the response's end does.
    reply.raw.once('close', () => void events.return?.().catch(() => {}));
    return reply.type('application/x-ndjson').send(Readable.from(ndjson(first, events)));
  });
  return app;
}

function timed<T>(reply: FastifyReply, result: Timed<T>): T {
  reply.header('x-queue-ms', result.queueMs.toFixed(3)).header('x-compute-ms', result.computeMs.toFixed(3));
  return result.value;
}

async function* ndjson(
  first: IteratorResult<GenerationEvent>,
  rest: AsyncIterator<GenerationEvent>,
): AsyncGenerator<string> {
  try {
    if (first.done) return;
    yield `${JSON.stringify(first.value)}\n`;
    while (true) {
      const next = await rest.next();
      if (next.done) return;
      yield `${JSON.stringify(next.value)}\n`;
    }
  } finally {
    await rest.return?.();
  }
}
