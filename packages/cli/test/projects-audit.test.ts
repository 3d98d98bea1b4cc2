import { parseKey } from '@modelport/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { cliFor } from './support/run.js';

let server: TestServer;
let cli: ReturnType<typeof cliFor>;
beforeAll(async () => {
  server = await startTestServer();
  cli = cliFor(server.url, server.adminKey);
});
afterAll(async () => {
  await server?.close();
});

describe('modelport keys rotate', () => {
  it('prints the new secret alone on stdout; with --grace 0 the old one stops', async () => {
    const old = await server.mintKey({ name: 'svc', scopes: ['manage'] });
    const id = `key_${old.slice(4, 16)}`;
    const res = await cli(['keys', 'rotate', id, '--grace', '0']);
    expect(res.code).toBe(0);
    const key = res.stdout.trim();
    expect(parseKey(key)).not.toBeNull();
    expect(res.stderr).toMatch(
      new RegExp(`^rotated key ${id} \\(svc\\); the old secret works until \\S+Z\\n`),
    );
    expect((await cli(['models', 'list'], { env: { MODELPORT_API_KEY: key } })).code).toBe(0);
    const refused = await cli(['models', 'list'], { env: { MODELPORT_API_KEY: old } });
    expect(refused.stderr).toMatch(/^error: api_key_rotated: /);
  });

  it('takes durations for --grace and refuses bad ones as usage errors', async () => {
    const old = await server.mintKey({ scopes: ['manage'] });
    const id = `key_${old.slice(4, 16)}`;
    const res = await cli(['--json', 'keys', 'rotate', id, '--grace', '2h']);
    const rotated = JSON.parse(res.stdout);
    expect(Date.parse(rotated.previousValidUntil) - Date.parse(rotated.rotatedAt)).toBe(7_200_000);
    expect((await cli(['models', 'list'], { env: { MODELPORT_API_KEY: old } })).code).toBe(0);
    for (const grace of ['soon', '-1', '31d'])
      expect((await cli(['keys', 'rotate', id, '--grace', grace])).code).toBe(2);
    expect((await cli(['keys', 'rotate', 'key_unknown'])).stderr).toMatch(/^error: key_not_found: /);
  });
});

describe('modelport projects and audit', () => {
  it('creates and lists projects', async () => {
    const created = await cli(['projects', 'create', 'cli-team']);
    expect(created.stdout).toMatch(/^created project prj_\w+ \(cli-team\)\n$/);
    const list = await cli(['projects', 'list']);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+CREATED\n/);
    expect(list.stdout).toMatch(/prj_\w+\s+cli-team\s+\S+Z/);
    const projectAdmin = await server.mintKey({ scopes: ['admin'] });
    expect((await cli(['projects', 'list', '--api-key', projectAdmin])).stderr).toMatch(
      /^error: insufficient_scope: /,
    );
  });

  it('lists audit entries, filtered by action, with a cursor for more', async () => {
    await cli(['models', 'create', 'audited-by-cli']);
    const res = await cli(['audit', 'list', '--action', 'model.create']);
    expect(res.stdout).toMatch(
      /^TIME\s+ACTION\s+TARGET\s+KEY\s+REQUEST\n\S+Z\s+model\.create\s+audited-by-cli\s+key_\w+\s+req_\w+/,
    );
    const paged = await cli(['audit', 'list', '--limit', '1']);
    expect(paged.stderr).toMatch(/^more: modelport audit list --before aud_\w+\n$/);
    expect((await cli(['audit', 'list', '--action', 'model.explode'])).code).toBe(2);
    expect((await cli(['audit', 'list', '--limit', '0'])).code).toBe(2);
  });
});
