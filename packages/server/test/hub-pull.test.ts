import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelVersion, PullJob, PullPlan } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeHub, gitFile, lfsFile, repoFromFolder, startFakeHub } from './support/fake-hub.js';
import { createModel, startPull, versionCount, waitForPull } from './support/pulls.js';
import { sharedModelFiles } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const shared = sharedModelFiles([
  'stories260k/stories260K.gguf',
  'whisper-tiny/Xenova/whisper-tiny/config.json',
  'samples/hello-world-this-is-a-test.wav',
]);
const [storiesPath = '', whisperConfig = '', wavPath = ''] = shared.paths;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(shared.skip)('pulling models from a Hub, then serving them', () => {
  let hub: FakeHub;
  let t: TestServer;
  let stories: Buffer;
  beforeAll(async () => {
    stories = readFileSync(storiesPath);
    hub = await startFakeHub({
      'test-org/stories-gguf': {
        pipelineTag: 'text-generation',
        files: {
          '.gitattributes': gitFile('*.gguf filter=lfs diff=lfs merge=lfs -text\n'),
          'README.md': gitFile('# stories260K\n'),
          'stories260K-Q4_K_M.gguf': lfsFile(stories),
          // Another quantization by name only: its bytes are no GGUF at all.
          'stories260K-Q8_0.gguf': lfsFile(Buffer.alloc(4096, 7)),
        },
      },
      'Xenova/whisper-tiny': {
        pipelineTag: 'automatic-speech-recognition',
        files: { ...repoFromFolder(path.dirname(whisperConfig)), 'README.md': gitFile('# whisper\n') },
      },
    });
    t = await startTestServer({ env: { HF_ENDPOINT: hub.url } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await hub?.close();
  });

  it('plans a GGUF pull: Q4_K_M by default, the quantization asked for, a 404 listing the others', async () => {
    const plan = async (source: string) =>
      t.fetch('/api/v1/pulls/plan', { method: 'POST', headers: json, body: JSON.stringify({ source }) });
    const byDefault = (await (await plan('hf://test-org/stories-gguf')).json()) as PullPlan;
    expect(byDefault).toMatchObject({
      repo: 'test-org/stories-gguf',
      revision: 'main',
      commit: hub.commit,
      kind: 'file',
      task: 'text-generation',
      suggestedName: 'stories-gguf',
      files: [{ path: 'stories260K-Q4_K_M.gguf', sizeBytes: stories.length, sha256: sha256(stories) }],
    });
    const q8 = (await (await plan('hf://test-org/stories-gguf:Q8_0')).json()) as PullPlan;
    expect(q8.files.map((f) => f.path)).toEqual(['stories260K-Q8_0.gguf']);
    const missing = await plan('hf://test-org/stories-gguf:Q5_K_M');
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('hub_not_found');
    expect(body.error.message).toContain('Q4_K_M, Q8_0');
  });

  it('pulls stories260K as GGUF, records its source, and serves it ("Lily")', async () => {
    await createModel(t, 'stories', 'text-generation');
    const accepted = await startPull(t, 'stories', 'hf://test-org/stories-gguf');
    expect(accepted).toMatchObject({ state: 'queued', bytesTotal: stories.length, version: null });
    const job = await waitForPull(t, accepted.id);
    expect(job).toMatchObject({ state: 'succeeded', version: 1, bytesDone: stories.length, error: null });
    const version = (await (await t.fetch('/api/v1/models/stories/versions/1')).json()) as ModelVersion;
    expect(version.format).toBe('gguf');
    expect(version.sha256).toBe(sha256(stories));
    expect(version.metadata.source).toMatchObject({
      type: 'huggingface',
      repo: 'test-org/stories-gguf',
      revision: 'main',
      commit: hub.commit,
      pullId: accepted.id,
      files: [{ path: 'stories260K-Q4_K_M.gguf', sha256: sha256(stories) }],
    });
    expect(existsSync(path.join(t.dataDir, 'pulls', accepted.id))).toBe(false);
    const deploy = await t.fetch('/api/v1/deployments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'stories', threads: 1, llm: { parallel: 1, contextSize: 512 } }),
    });
    expect(deploy.status).toBe(201);
    const completion = await t.fetch('/v1/completions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'stories', prompt: 'Once upon a time', max_tokens: 16, temperature: 0 }),
    });
    const answer = (await completion.json()) as { choices: { text: string }[] };
    expect(answer.choices[0]?.text).toContain('Lily');
  }, 120_000);

  it('refuses a pulled file that is no model, as an upload would, and registers nothing', async () => {
    await createModel(t, 'not-a-model', 'text-generation');
    const accepted = await startPull(t, 'not-a-model', 'hf://test-org/stories-gguf:Q8_0');
    const job = await waitForPull(t, accepted.id);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toMatch(/^(invalid_artifact|unsupported_artifact_format)$/);
    expect(await versionCount(t, 'not-a-model')).toBe(0);
    expect(existsSync(path.join(t.dataDir, 'pulls', accepted.id))).toBe(false);
  });

  it('pulls whisper-tiny as a folder of the dtype present (q8) and transcribes with it', async () => {
    await createModel(t, 'whisper', 'automatic-speech-recognition');
    const accepted: PullJob = await startPull(t, 'whisper', 'hf://Xenova/whisper-tiny');
    expect(accepted.kind).toBe('folder');
    expect(accepted.config).toEqual({ dtype: 'q8' });
    const paths = accepted.files.map((f) => f.path);
    expect(paths).toContain('onnx/encoder_model_quantized.onnx');
    expect(paths).toContain('onnx/decoder_model_merged_quantized.onnx');
    expect(paths).toContain('tokenizer.json');
    expect(paths).not.toContain('README.md');
    const job = await waitForPull(t, accepted.id);
    expect(job).toMatchObject({ state: 'succeeded', version: 1 });
    const version = (await (await t.fetch('/api/v1/models/whisper/versions/1')).json()) as ModelVersion;
    expect(version.format).toBe('folder');
    expect(version.config).toEqual({ dtype: 'q8' });
    expect(version.metadata.folder?.modelType).toBe('whisper');
    expect(version.metadata.source?.files.map((f) => f.path).sort()).toEqual([...paths].sort());
    const deploy = await t.fetch('/api/v1/deployments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'whisper', threads: 1 }),
    });
    expect(deploy.status).toBe(201);
    const form = new FormData();
    form.append('file', new Blob([readFileSync(wavPath)]), 'hello.wav');
    form.append('model', 'whisper');
    form.append('language', 'en');
    const res = await t.fetch('/v1/audio/transcriptions', { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const { text } = (await res.json()) as { text: string };
    expect(text.trim().toLowerCase()).toBe('hello world. this is a test.');
  }, 180_000);
});
