import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyOnnx } from '../../sdk/test/support/tiny-onnx.js';
import { sharedModel } from '../../server/test/support/shared-models.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { runCli } from '../src/index.js';
import { captureIo, cliFor } from './support/run.js';

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

/** Enough of a terminal for cli-progress: it only moves the cursor and writes. */
function fakeTerminal(): { tty: NodeJS.WriteStream; written: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const noop = () => true;
  Object.assign(stream, {
    isTTY: true,
    columns: 100,
    cursorTo: noop,
    moveCursor: noop,
    clearLine: noop,
    clearScreenDown: noop,
  });
  return { tty: stream as unknown as NodeJS.WriteStream, written: () => chunks.join('') };
}

describe('models push progress', () => {
  it('draws a bar on a terminal for a file over 1 MB', async () => {
    const file = await writeTinyOnnx(dir, 'big.onnx', { padBytes: 2 * 1024 * 1024 });
    const terminal = fakeTerminal();
    const io = {
      ...captureIo({ env: { MODELPORT_URL: server.url, MODELPORT_API_KEY: server.adminKey } }),
      tty: terminal.tty,
    };
    const code = await runCli(['models', 'push', 'big', file, '--create'], io);
    expect(code).toBe(0);
    expect(terminal.written()).toMatch(/big big\.onnx \[.*\] \d+% .*2\.0 MB/);
    expect(io.out.join('')).toMatch(/^pushed big:1 \(onnx, 2\.0 MB, sha256 [0-9a-f]{12}\)\n$/);
  });

  it('prints only the final line when stderr is not a terminal', async () => {
    const file = await writeTinyOnnx(dir, 'big-plain.onnx', { padBytes: 2 * 1024 * 1024, tag: 'plain' });
    const res = await cli(['models', 'push', 'plain', file, '--create']);
    expect(res).toMatchObject({ code: 0, stderr: 'created model plain\n' });
    expect(res.stdout).toMatch(/^pushed plain:1 \(onnx, 2\.0 MB, sha256 [0-9a-f]{12}\)\n$/);
  });

  it('show summarises a GGUF version (architecture, context, params, quantization)', async (ctx) => {
    const gguf = sharedModel('stories260k/stories260K.gguf', ctx);
    expect(
      (await cli(['models', 'push', 'stories', gguf, '--create', '--task', 'text-generation'])).code,
    ).toBe(0);
    const show = await cli(['models', 'show', 'stories']);
    expect(show.stdout).toMatch(/^1\s+gguf\s+1\.1 MB\s+[0-9a-f]{12}\s+-\s+\S+Z$/m);
    expect(show.stdout).toMatch(/^v1 {2}llama, context \d+, [\d.]+K params, \w+$/m);
  });
});
