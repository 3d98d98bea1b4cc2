import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { abortOnClose } from '../../platform/http/index.js';
import type { GenerationEvent, LoadedLlm } from '../../wire/index.js';
import type { RunnerSpec } from '../../wire/runner/index.js';
import { parseEmbedRequest, parseGenerationRequest } from './llm-request-schema.js';
import { createRunnerApp } from './runner-app.js';

export type LlmServerSpec = Partial<Pick<RunnerSpec, 'maxBodyBytes'>>;

const defaultBodyLimit = 16 * 1024 * 1024;

/**
 * The llama runner's side of the internal protocol: JSON in, and for generation an NDJSON stream
 * of GenerationEvents, one per line, written as they are produced. What fails before the first
 * event is an HTTP error `{error, code, param?}`; the client closing the connection aborts.
 */
export function buildLlmRunnerServer(spec: LlmServerSpec, llm: LoadedLlm): FastifyInstance {
  const app = createRunnerApp('llama runner', spec.maxBodyBytes ?? defaultBodyLimit);
  app.get('/v1/info', async () => llm.info());
  app.get('/v1/stats', async () => llm.stats());
  app.post('/v1/generate', async (request, reply) => {
    const body = parseGenerationRequest(request.body);
    const events = llm.generate(body, abortOnClose(reply))[Symbol.asyncIterator]();
    // Waiting for the first event keeps refusals (400, 503) as HTTP errors.
    const first = await events.next();
    // A stream destroyed before it was read never runs ndjson's cleanup; the response's end does.
    reply.raw.once('close', () => void events.return?.().catch(() => {}));
    return reply.type('application/x-ndjson').send(Readable.from(ndjson(first, events)));
  });
  app.post('/v1/embed', async (request, reply) =>
    llm.embed(parseEmbedRequest(request.body), abortOnClose(reply)),
  );
  return app;
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
