import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeHub, gitFile, lfsFile, startFakeHub } from '../../server/test/support/fake-hub.js';
import { sharedModelFile } from '../../server/test/support/shared-models.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { runCli } from '../src/index.js';
import { captureIo, cliFor } from './support/run.js';

const stories = sharedModelFile('stories260k/stories260K.gguf');

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
  Object.assign(stream, { isTTY: true, columns: 120, cursorTo: noop, moveCursor: noop, clearLine: noop });
  return { tty: stream as unknown as NodeJS.WriteStream, written: () => chunks.join('') };
}

describe.skipIf(stories.skip)('modelport pull', () => {
  let hub: FakeHub;
  let server: TestServer;
  let cli: ReturnType<typeof cliFor>;
  beforeAll(async () => {
    const gguf = {
      'stories260K-Q4_K_M.gguf': lfsFile(readFileSync(stories.file)),
      'README.md': gitFile('#\n'),
    };
    hub = await startFakeHub({
      'test-org/stories-gguf': { files: gguf, pipelineTag: 'text-generation' },
      'test-org/corrupt-gguf': { files: gguf },
    });
    hub.corrupt('test-org/corrupt-gguf', 'stories260K-Q4_K_M.gguf');
    server = await startTestServer({ env: { HF_ENDPOINT: hub.url } });
    cli = cliFor(server.url, server.adminKey);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await hub?.close();
  });

  it('creates the model, prints plain progress lines, registers and deploys the version', async () => {
    const res = await cli(['pull', 'hf://test-org/stories-gguf', '--deploy', '--poll-ms', '20']);
    expect(res.stderr).toContain('created model stories-gguf (task text-generation)\n');
    expect(res.stderr).toMatch(
      /^pull pull_\S+: test-org\/stories-gguf@a1b2c3d4e5f6, stories260K-Q4_K_M\.gguf, 1\.1 MB$/m,
    );
    expect(res.stderr).toMatch(
      /^stories-gguf ← test-org\/stories-gguf: succeeded 100% \(1\.1 MB of 1\.1 MB\)$/m,
    );
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /^pulled stories-gguf:1 \(gguf, 1\.1 MB, sha256 [0-9a-f]{12}\) from test-org\/stories-gguf@a1b2c3d4e5f6\ndeployment stories-gguf serves stories-gguf v1 /,
    );
  }, 60_000);

  it('draws a bar on a terminal and adds to a model named with --name', async () => {
    const terminal = fakeTerminal();
    const io = {
      ...captureIo({ env: { MODELPORT_URL: server.url, MODELPORT_API_KEY: server.adminKey } }),
      tty: terminal.tty,
    };
    const code = await runCli(
      ['pull', 'hf://test-org/stories-gguf:Q4_K_M', '--name', 'tiny', '--poll-ms', '20'],
      io,
    );
    // The bar replaces the plain lines.
    expect(io.err.join('')).not.toContain('downloading');
    expect(io.err.join('')).toContain('created model tiny (task text-generation)');
    expect(code).toBe(0);
    expect(terminal.written()).toMatch(/tiny ← test-org\/stories-gguf \[.*\] \d+% /);
    expect(io.out.join('')).toMatch(/^pulled tiny:1 \(gguf/);
  });

  it('fails with the catalog code: a missing repository at once, a corrupt download at its end', async () => {
    const missing = await cli(['pull', 'hf://test-org/nothing']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: hub_not_found: /m);
    const corrupt = await cli(['pull', 'hf://test-org/corrupt-gguf', '--name', 'corrupt', '--poll-ms', '20']);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/^error: hub_checksum_mismatch: pull pull_\S+ failed: /m);
    const versions = await cli(['models', 'show', 'corrupt']);
    expect(versions.stdout).not.toMatch(/^1\s+gguf/m);
  });
});
