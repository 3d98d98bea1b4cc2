import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyOnnx } from '../../sdk/test/support/tiny-onnx.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { cliFor } from './support/run.js';

let server: TestServer;
let cli: ReturnType<typeof cliFor>;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  cli = cliFor(server.url, server.adminKey);
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-cli-'));
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('modelport models', () => {
  it('create, list and show an empty model', async () => {
    const created = await cli(['models', 'create', 'iris', '--task', 'tabular', '--description', 'flowers']);
    expect(created).toEqual({ code: 0, stdout: 'created model iris (task tabular)\n', stderr: '' });

    const list = await cli(['models', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+TASK\s+LATEST\s+ALIASES\s+CREATED\s+DESCRIPTION\n/);
    expect(list.stdout).toMatch(/iris\s+tabular\s+-\s+-\s+\S+Z\s+flowers/);

    const show = await cli(['models', 'show', 'iris']);
    expect(show.stdout).toContain('model iris');
    expect(show.stdout).toContain('no versions yet');
  });

  it('push with --create, --config @file and --alias; show summarises the ONNX version', async () => {
    const file = await writeTinyOnnx(dir, 'identity.onnx');
    const configFile = path.join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify({ labels: ['a', 'b', 'c', 'd'] }));
    const pushed = await cli([
      'models',
      'push',
      'ident',
      file,
      '--create',
      '--task',
      'tensor',
      '--config',
      `@${configFile}`,
      '--alias',
      'production',
    ]);
    expect(pushed.stderr).toBe('created model ident\n');
    expect(pushed.stdout).toMatch(
      /^pushed ident:1 \(onnx, \d+ B, sha256 [0-9a-f]{12}\)\nident@production → version 1\n$/,
    );
    expect(pushed.code).toBe(0);

    const again = await cli(['models', 'push', 'ident', file, '--create', '--json']);
    expect(again.code).toBe(0);
    const v2 = JSON.parse(again.stdout);
    expect(v2).toMatchObject({ model: 'ident', version: 2, format: 'onnx', config: {}, aliases: [] });

    const show = await cli(['models', 'show', 'ident']);
    expect(show.stdout).toMatch(/^\s+aliases:\s+production→1$/m);
    expect(show.stdout).toMatch(/^1\s+onnx\s+\d+ B\s+[0-9a-f]{12}\s+production\s+\S+Z$/m);
    expect(show.stdout).toMatch(/^2\s+onnx\s+\d+ B\s+[0-9a-f]{12}\s+-\s+\S+Z$/m);
    expect(show.stdout).toContain('v1  inputs x FP32[-1,4]; outputs y FP32[-1,4]');
  });

  it('show --json gives the model and its versions', async () => {
    const file = await writeTinyOnnx(dir, 'json.onnx', { tag: 'json' });
    await cli(['models', 'push', 'as-json', file, '--create', '--config', '{"threshold":0.5}']);
    const show = await cli(['--json', 'models', 'show', 'as-json']);
    const parsed = JSON.parse(show.stdout);
    expect(parsed.model).toMatchObject({ name: 'as-json', latestVersion: 1 });
    expect(parsed.versions[0]).toMatchObject({ version: 1, config: { threshold: 0.5 } });
    expect(parsed.versions[0].metadata.onnx.inputs).toEqual([
      { name: 'x', datatype: 'FP32', shape: [-1, 4] },
    ]);
  });

  it('alias moves an alias; list --json shows it', async () => {
    const file = await writeTinyOnnx(dir, 'alias.onnx', { tag: 'alias' });
    await cli(['models', 'push', 'aliased', file, '--create']);
    await cli(['models', 'push', 'aliased', file]);
    const moved = await cli(['models', 'alias', 'aliased', 'production', '2']);
    expect(moved).toMatchObject({ code: 0, stdout: 'aliased@production → version 2\n' });

    const list = JSON.parse((await cli(['models', 'list', '--json'])).stdout) as Array<{ name: string }>;
    expect(list.find((m) => m.name === 'aliased')).toMatchObject({
      latestVersion: 2,
      aliases: { production: 2 },
    });
  });

  it('rm needs --yes without a terminal, asks when there is one, and deletes', async () => {
    await cli(['models', 'create', 'doomed']);
    const refused = await cli(['models', 'rm', 'doomed']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('without --yes');

    const declined = await cli(['models', 'rm', 'doomed'], { confirm: async () => false });
    expect(declined).toMatchObject({ code: 0, stderr: 'not deleted\n' });

    const questions: string[] = [];
    const removed = await cli(['models', 'rm', 'doomed'], {
      confirm: async (q) => questions.push(q) > 0,
    });
    expect(removed).toMatchObject({ code: 0, stdout: 'deleted model doomed\n' });
    expect(questions).toEqual(["Delete model 'doomed' with all its versions and aliases?"]);

    const gone = await cli(['models', 'rm', 'doomed', '--yes']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(
      /^error: model_not_found: Model 'doomed' does not exist\. \(request \S+\)\n$/,
    );
  });
});

describe('modelport errors and usage', () => {
  it('an API error prints code, message and request id, and exits 1', async () => {
    const res = await cli(['models', 'show', 'nothing-here']);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^error: model_not_found: .+ \(request [\w-]+\)\n$/);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['models', 'create'])).code).toBe(2);
    expect((await cli(['models', 'create', 'x', '--task', 'poetry'])).code).toBe(2);
    expect((await cli(['models', 'alias', 'm', 'production', 'two'])).code).toBe(2);
    expect((await cli(['models', 'push', 'm', path.join(dir, 'missing.onnx')])).stderr).toBe(
      `error: ${path.join(dir, 'missing.onnx')}: no such file\n`,
    );
    const badConfig = await cli(['models', 'push', 'm', 'x.onnx', '--config', '{nope']);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('not valid JSON');
    expect((await cli(['nonsense'])).code).toBe(2);
  });

  it('a wrong key or unreachable server exits 1 with the error code', async () => {
    const wrong = await cli(['models', 'list'], { env: { MODELPORT_API_KEY: 'mpk_wrong' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error: invalid_api_key: /);

    const flags = await cli(['models', 'list', '--url', 'http://127.0.0.1:1', '--api-key', server.adminKey]);
    expect(flags.code).toBe(1);
    expect(flags.stderr).toMatch(/^error: connection_error: Could not reach http:\/\/127\.0\.0\.1:1\//);
  });

  it('no API key at all is a usage error', async () => {
    const res = await cli(['models', 'list'], { env: { MODELPORT_API_KEY: undefined } });
    expect(res).toMatchObject({
      code: 2,
      stderr: 'error: no API key: pass --api-key or set MODELPORT_API_KEY\n',
    });
  });

  it('--help and --version exit 0', async () => {
    const help = await cli(['models', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('push [options] <name> <file>');
    expect((await cli(['--version'])).code).toBe(0);
  });
});
