import { describe, expect, it } from 'vitest';
import { chooseFiles } from '../src/registry/hub/choose-files.js';
import { parseHubSource } from '../src/registry/hub/hub-source.js';
import { nameFromRepo } from '../src/registry/hub/pull-plan.js';
import { type RepoFile, toRepoFiles } from '../src/registry/hub/repo-files.js';
import { expectAppErrorSync } from './support/expect-app-error.js';

function files(sizes: Record<string, number>): RepoFile[] {
  return Object.entries(sizes).map(([p, sizeBytes]) => ({ path: p, repoPath: p, sizeBytes, sha256: null }));
}

const choose = (repo: RepoFile[], tag?: string, path?: string) =>
  chooseFiles({ files: repo, tag, path, where: 'org/repo@main' });
const chosen = (repo: RepoFile[], tag?: string, path?: string) =>
  choose(repo, tag, path)
    .files.map((f) => f.path)
    .sort();

describe('hub sources', () => {
  it('takes apart repo, revision, path and tag', () => {
    expect(parseHubSource('hf://org/repo')).toEqual({
      repo: 'org/repo',
      revision: 'main',
      path: undefined,
      tag: undefined,
    });
    expect(parseHubSource('hf://org/repo@v1.0:Q4_K_M')).toMatchObject({ revision: 'v1.0', tag: 'Q4_K_M' });
    expect(parseHubSource('hf://org/repo@refs/pr/3/sub/model.gguf')).toMatchObject({
      revision: 'refs/pr/3',
      path: 'sub/model.gguf',
    });
    expect(parseHubSource('hf://Xenova/whisper-tiny:q8')).toMatchObject({
      repo: 'Xenova/whisper-tiny',
      tag: 'q8',
    });
  });

  it('refuses what is no source or leaves the repository', () => {
    for (const bad of [
      'org/repo',
      'hf://repo',
      'hf://org/repo/../x',
      'hf://org/repo//x',
      'hf://org/repo/a%2F..',
      'hf://../x/y',
    ]) {
      expectAppErrorSync(() => parseHubSource(bad), 'invalid_hub_source');
    }
  });

  it('never takes a listed file whose path would leave the pull folder', () => {
    const listed = ['../evil.gguf', 'a/../../b.gguf', '/abs.gguf', 'dir\\x.gguf', 'ok/model.gguf'];
    expect(toRepoFiles(listed.map((rfilename) => ({ rfilename, size: 1 }))).map((f) => f.path)).toEqual([
      'ok/model.gguf',
    ]);
  });

  it('makes a model name of the repository name', () => {
    expect(nameFromRepo('TheBloke/Llama-2-7B-GGUF')).toBe('llama-2-7b-gguf');
    expect(nameFromRepo('org/__Weird Name__')).toBe('weird-name__');
  });
});

describe('which files a pull takes', () => {
  const gguf = files({
    'model-Q2_K.gguf': 10,
    'model-Q4_K_M.gguf': 40,
    'model.Q8_0.gguf': 80,
    'mmproj-model-f16.gguf': 5,
    'README.md': 1,
  });

  it('GGUF: the quantization asked for, else Q4_K_M, else Q8_0, else the smallest', () => {
    expect(chosen(gguf)).toEqual(['model-Q4_K_M.gguf']);
    expect(chosen(gguf, 'q8_0')).toEqual(['model.Q8_0.gguf']);
    expect(chosen(gguf.filter((f) => !f.path.includes('Q4')))).toEqual(['model.Q8_0.gguf']);
    expect(chosen(files({ 'b-Q5_K_S.gguf': 50, 'a-Q6_K.gguf': 60 }))).toEqual(['b-Q5_K_S.gguf']);
    expectAppErrorSync(() => choose(gguf, 'Q4_K'), 'hub_not_found', /Q2_K, Q4_K_M, Q8_0/);
  });

  it('GGUF: split shards are refused, a named file is taken as it is', () => {
    expectAppErrorSync(
      () => choose(files({ 'm-Q4_K_M-00001-of-00002.gguf': 1, 'm-Q4_K_M-00002-of-00002.gguf': 1 })),
      'hub_unsupported_repo',
    );
    expect(chosen(gguf, undefined, 'model-Q2_K.gguf')).toEqual(['model-Q2_K.gguf']);
    expectAppErrorSync(() => choose(gguf, 'Q8_0', 'model-Q2_K.gguf'), 'invalid_hub_source');
  });

  const onnxRepo = files({
    'config.json': 1,
    'generation_config.json': 1,
    'tokenizer.json': 1,
    'README.md': 1,
    'onnx/encoder_model.onnx': 100,
    'onnx/encoder_model_quantized.onnx': 25,
    'onnx/decoder_model.onnx': 100,
    'onnx/decoder_with_past_model.onnx': 100,
    'onnx/decoder_model_merged.onnx': 100,
    'onnx/decoder_model_merged_quantized.onnx': 25,
    'onnx/decoder_model_merged_fp16.onnx': 50,
  });

  it('ONNX: fp32 first, the merged decoder in place of the separate ones, configs beside', () => {
    const choice = choose(onnxRepo);
    expect(choice.kind).toBe('folder');
    expect(choice.config).toEqual({ dtype: 'fp32' });
    expect(chosen(onnxRepo)).toEqual([
      'config.json',
      'generation_config.json',
      'onnx/decoder_model_merged.onnx',
      'onnx/encoder_model.onnx',
      'tokenizer.json',
    ]);
  });

  it('ONNX: the dtype asked for, per session the best present, external data along', () => {
    expect(choose(onnxRepo, 'q8').config).toEqual({ dtype: 'q8' });
    expectAppErrorSync(() => choose(onnxRepo, 'fp16'), 'hub_not_found', /encoder_model/);
    const mixed = files({
      'config.json': 1,
      'onnx/encoder_model_quantized.onnx': 1,
      'onnx/decoder_model_merged.onnx': 1,
      'onnx/decoder_model_merged.onnx_data': 1,
    });
    expect(choose(mixed).config).toEqual({ dtype: { decoder_model_merged: 'fp32', encoder_model: 'q8' } });
    expect(chosen(mixed)).toContain('onnx/decoder_model_merged.onnx_data');
  });

  it('ONNX: a folder the path names, or a lone graph as a single file; nothing servable is refused', () => {
    const nested = onnxRepo.map((f) => ({ ...f, path: `whisper/${f.path}`, repoPath: `whisper/${f.path}` }));
    expect(chosen(nested, 'q8', 'whisper')).toContain('onnx/encoder_model_quantized.onnx');
    expect(choose(files({ 'model.onnx': 10, 'README.md': 1 })).kind).toBe('file');
    expectAppErrorSync(
      () => choose(files({ 'config.json': 1, 'model.safetensors': 9 })),
      'hub_unsupported_repo',
    );
    expectAppErrorSync(() => choose(gguf, undefined, 'nothing'), 'hub_not_found');
  });
});
