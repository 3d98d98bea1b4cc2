import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import OpenAI from 'openai';
import { Registry } from 'prom-client';
import { createLlmMetrics, openaiRoutes } from '../../src/api/openai/index.js';
import type { Principal } from '../../src/auth/principal.js';
import { installErrorHandling } from '../../src/platform/http/error-handler.js';
import '../../src/platform/http/fastify-types.js';
import { FakeGateway } from './fake-llm-gateway.js';

export interface OpenAiTestApp {
  url: string;
  client: OpenAI;
  gateway: FakeGateway;
  registry: Registry;
  /** Raw HTTP for what the SDK hides (SSE framing, headers). */
  post(path: string, body: unknown, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

const principal: Principal = {
  keyId: 'key_test',
  projectId: 'prj_test',
  organizationId: 'org_test',
  scopes: ['infer'],
  models: null,
  limits: null,
};

/** The essentials of `buildApp` around the OpenAI plugin, with a scripted gateway, on a loopback port. */
export async function startOpenAiTestApp(): Promise<OpenAiTestApp> {
  // The SDK's HTTP client may keep a spare connection open that never sends a request.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.principal = principal;
  });
  installErrorHandling(app);
  const gateway = new FakeGateway();
  const registry = new Registry();
  await app.register(openaiRoutes, { gateway, metrics: createLlmMetrics(registry) });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const url = address.replace('localhost', '127.0.0.1');
  return {
    url,
    client: new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 }),
    gateway,
    registry,
    post: (path, body, init = {}) =>
      fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
        body: JSON.stringify(body),
        ...init,
      }),
    close: () => app.close(),
  };
}

/** Splits a raw SSE body into its `data:` payloads, checking the framing on the way. */
export function sseEvents(text: string): string[] {
  if (!text.endsWith('\n\n')) throw new Error('the stream does not end with a blank line');
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((event) => {
      if (!event.startsWith('data: ') || event.includes('\n')) throw new Error(`bad SSE event: ${event}`);
      return event.slice('data: '.length);
    });
}
