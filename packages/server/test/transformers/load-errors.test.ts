import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTaskModel, parseTransformersOptions } from '../../src/runtime/transformers/index.js';
import { type TinyBertFolders, writeTinyBert } from '../support/tiny-bert.js';

let bert: TinyBertFolders;
let empty: string;
beforeAll(async () => {
  bert = await writeTinyBert();
  empty = await mkdtemp(path.join(os.tmpdir(), 'modelport-empty-model-'));
  await writeFile(path.join(empty, 'config.json'), JSON.stringify({ model_type: 'bert' }));
});
afterAll(async () => {
  await bert?.cleanup();
  if (empty) await rm(empty, { recursive: true, force: true });
});

const load = (folder: string, options: Record<string, unknown>) =>
  loadTaskModel({ folder, options: parseTransformersOptions(options), threads: 1 });

describe('loading a transformers model folder', () => {
  it('reads only local files: a missing ONNX file fails naming what the folder has, never fetching', async () => {
    const loading = load(bert.classifier, { task: 'text-classification', taskConfig: { dtype: 'q8' } });
    const err = await loading.then(
      () => new Error('loaded'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toContain('model_quantized.onnx');
    expect(err.message).toContain('onnx/ holds: model.onnx');
    expect(err.message).not.toContain('tried to fetch');
  });

  it('fails without a tokenizer, and for a non-whisper speech model', async () => {
    await expect(load(empty, { task: 'text-classification' })).rejects.toThrow(
      /cannot load text-classification/,
    );
    await expect(load(bert.encoder, { task: 'automatic-speech-recognition' })).rejects.toThrow(
      /Unsupported model type "bert"/,
    );
  });

  it('refuses unknown options', () => {
    expect(() => parseTransformersOptions({ task: 'translation' })).toThrow(
      /invalid transformers runner options/i,
    );
    expect(() =>
      parseTransformersOptions({ task: 'feature-extraction', taskConfig: { dtype: 'fp8' } }),
    ).toThrow(/Invalid version config for feature-extraction, config\.dtype: /);
    expect(
      parseTransformersOptions({ task: 'feature-extraction', taskConfig: { other: 1 } }).taskConfig,
    ).toEqual({
      dtype: 'fp32',
      pooling: 'mean',
      normalize: false,
      other: 1,
    });
  });
});
