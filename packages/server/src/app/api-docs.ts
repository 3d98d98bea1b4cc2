import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI document at `/docs/json`, browsable at `/docs`; generated from the routes' zod schemas. */
export async function registerApiDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Modelport API',
        version,
        description:
          'Model registry, API keys and serving. Every route but health and docs needs a Bearer key.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // A DELETE takes no body (one sent is refused): the document says so rather than offering `null`.
    transform: (input) => {
      const { body: _none, ...schema } = input.schema ?? {};
      const route = [input.route.method].flat().includes('DELETE') ? { ...input, schema } : input;
      return jsonSchemaTransform(route);
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
