import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** The console's build (`packages/console/dist`), or null when it was not built. */
export function consoleBuildDir(): string | null {
  try {
    const manifest = createRequire(import.meta.url).resolve('@modelport/console/package.json');
    const dir = path.join(path.dirname(manifest), 'dist');
    return existsSync(path.join(dir, 'index.html')) ? dir : null;
  } catch {
    return null;
  }
}

/**
 * The page and its assets only come from this server and only talk to it; styles are files too
 * (charts set element styles from script, which CSP allows).
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  // The transcription playground plays back the chosen file.
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const pub = { auth: false as const };
/** The console's routes are pages, not API: kept out of the OpenAPI document. */
const hidden = { hide: true };

/**
 * `/console/`: hashed assets cached for good, `index.html` revalidated every time, any other path
 * under `/console/` answered with `index.html` (the client routes it), but a missing asset is a 404.
 * `GET /` leads there. The page is public; every API call it makes carries the user's key.
 */
export const consoleRoutes: FastifyPluginAsync<{ dir: string }> = async (app, { dir }) => {
  await app.register(fastifyStatic, { root: dir, serve: false });
  // Files beside index.html (icons); read once, so a request never names a path to look up.
  const rootFiles = new Set(readdirSync(dir).filter((f) => f !== 'index.html' && f !== 'assets'));
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });

  app.get('/', { config: pub, schema: hidden }, async (_request, reply) => reply.redirect('/console/'));
  app.get('/console', { config: pub, schema: hidden }, async (_request, reply) =>
    reply.redirect('/console/'),
  );
  app.get<{ Params: { '*': string } }>(
    '/console/assets/*',
    { config: pub, schema: hidden },
    // Names carry a content hash: a changed file gets a new name. A missing one falls to the 404 handler.
    async (request, reply) =>
      reply.sendFile(request.params['*'], path.join(dir, 'assets'), { immutable: true, maxAge: '365d' }),
  );
  app.get<{ Params: { '*': string } }>(
    '/console/*',
    { config: pub, schema: hidden },
    async (request, reply) => {
      const file = request.params['*'];
      if (rootFiles.has(file)) return reply.sendFile(file, { maxAge: '1h' });
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    },
  );
};
