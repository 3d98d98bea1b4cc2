import { parseKey } from '@modelport/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { buildProgram } from '../src/index.js';
import { captureIo, cliFor } from './support/run.js';

let server: TestServer;
let cli: ReturnType<typeof cliFor>;
beforeAll(async () => {
  server = await startTestServer();
  cli = cliFor(server.url, server.adminKey);
});
afterAll(async () => {
  await server?.close();
});

describe('modelport keys', () => {
  it('create prints the key alone on stdout, and the key works', async () => {
    const res = await cli(['keys', 'create', '--name', 'ci', '--scope', 'manage', '--scope', 'infer']);
    expect(res.code).toBe(0);
    const key = res.stdout.trim();
    expect(parseKey(key)).not.toBeNull();
    expect(res.stderr).toMatch(/^created key key_\w+ \(ci\), scopes manage, infer\nstore the key now/);

    const asUser = await cli(['models', 'create', 'made-by-ci'], { env: { MODELPORT_API_KEY: key } });
    expect(asUser.code).toBe(0);
  });

  it('create --json with models and expiry; list shows the key', async () => {
    const res = await cli(['--json', 'keys', 'create', '--model', 'a', '--model', 'b', '--expires', '2w']);
    const created = JSON.parse(res.stdout);
    expect(created).toMatchObject({ name: 'key', scopes: ['infer'], models: ['a', 'b'] });
    const days = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThan(14.1);

    const list = await cli(['keys', 'list']);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+PREFIX\s+SCOPES\s+MODELS\s+STATUS\s+EXPIRES\s+LAST USED\n/);
    expect(list.stdout).toMatch(
      new RegExp(`${created.id}\\s+key\\s+${created.prefix}\\s+infer\\s+a,b\\s+active`),
    );
    expect(list.stdout).not.toContain(created.key);
  });

  it('revoke marks the key revoked and the key stops working', async () => {
    const key = await server.mintKey({ name: 'temp', scopes: ['manage'] });
    const id = `key_${key.slice(4, 16)}`;
    const revoked = await cli(['keys', 'revoke', id]);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked key ${id} (temp)\n` });
    expect((await cli(['keys', 'list'])).stdout).toMatch(new RegExp(`${id}\\s+temp\\s+.*revoked`));

    const refused = await cli(['models', 'list'], { env: { MODELPORT_API_KEY: key } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: api_key_revoked: The API key was revoked\. \(request \S+\)\n$/);
  });

  it('a non-admin key cannot manage keys', async () => {
    const key = await server.mintKey({ scopes: ['manage'] });
    const res = await cli(['keys', 'list', '--api-key', key]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: insufficient_scope: /);
  });

  it('rejects a bad scope or expiry as usage errors', async () => {
    expect((await cli(['keys', 'create', '--scope', 'root'])).code).toBe(2);
    const past = await cli(['keys', 'create', '--expires', '2001-01-01']);
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('not in the future');
    expect((await cli(['keys', 'create', '--expires', 'soon'])).code).toBe(2);
    expect((await cli(['keys', 'revoke', 'key_unknown'])).stderr).toMatch(/^error: key_not_found: /);
  });

  it('generate prints a fresh well-formed key offline, through buildProgram directly', async () => {
    const io = captureIo();
    await buildProgram(io).parseAsync(['keys', 'generate'], { from: 'user' });
    await buildProgram(io).parseAsync(['keys', 'generate', '--json'], { from: 'user' });
    const [plain, json] = io.out;
    expect(parseKey((plain ?? '').trim())).not.toBeNull();
    const { key } = JSON.parse(json ?? '');
    expect(parseKey(key)).not.toBeNull();
    expect(key).not.toBe(plain?.trim());
  });
});
