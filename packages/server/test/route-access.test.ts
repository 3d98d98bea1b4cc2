import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuth, type RouteAccessEntry } from '../src/auth/index.js';
import { installErrorHandling } from '../src/platform/http/index.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** Routes anyone may call: probes, API docs, the OIP health routes and the console page (`/` leads to it). */
const publicRoute = /^\/(health\/|docs|v2\/health\/|console(\/|$)|$)/;

describe('route table', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('declares an access rule on every route, and only probes and docs are public', () => {
    const table: RouteAccessEntry[] = server.server.app.routeAccess;
    expect(table.length).toBeGreaterThan(50);
    const describe = (r: RouteAccessEntry) => `${r.method} ${r.url}`;
    expect(table.filter((r) => r.access === 'closed').map(describe)).toEqual([]);
    const unexpectedPublic = table.filter((r) => r.access === 'public' && !publicRoute.test(r.url));
    expect(unexpectedPublic.map(describe)).toEqual([]);
    // Every API surface is behind a scope.
    for (const prefix of ['/api/v1/', '/v1/', '/v2/models']) {
      const routes = table.filter((r) => r.url.startsWith(prefix));
      expect(routes.length, prefix).toBeGreaterThan(0);
      for (const r of routes) expect(r.access, describe(r)).toMatchObject({ scopes: expect.any(Array) });
    }
  });

  it('closes a route that declares no rule, even to an admin key', async () => {
    const app = Fastify();
    installErrorHandling(app);
    installAuth(app, { keys: server.server.platform.keys, publicPrefixes: [] });
    app.get('/undeclared', async () => ({ open: true }));
    app.get('/declared', { config: { auth: { scopes: ['infer'] } } }, async () => ({ open: true }));
    await app.ready();
    const headers = { authorization: `Bearer ${server.adminKey}` };
    const closed = await app.inject({ url: '/undeclared', headers });
    expect(closed.statusCode).toBe(403);
    expect(closed.json()).toMatchObject({ error: { code: 'insufficient_scope' } });
    expect((await app.inject({ url: '/undeclared' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/declared', headers })).statusCode).toBe(200);
    expect(app.routeAccess.find((r) => r.url === '/undeclared')?.access).toBe('closed');
    await app.close();
  });
});
