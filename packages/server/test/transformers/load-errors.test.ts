import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadTaskModel,
  parseTransformersOptions,
  type TaskModel,
} from '../../src/runtime/transformers/index.js';
import { type TinyBertFolders, writeTinyBert } from '../support/tiny-bert.js';

let bert: TinyBertFolders;
let scratch: string;
let empty: string;
beforeAll(async () => {
  bert = await writeTinyBert();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'modelport-dtype-'));
  empty = path.join(scratch, 'empty');
  await cp(bert.classifier, empty, { recursive: true });
  await rm(path.join(empty, 'onnx'), { recursive: true });
  await writeFile(path.join(empty, 'config.json'), JSON.stringify({ model_type: 'bert' }));
});
afterAll(async () => {
  await bert?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const load = (folder: string, options: Record<string, unknown>) =>
  loadTaskModel({ folder, options: parseTransformersOptions(options), threads: 1 });

const failure = (loading: Promise<TaskModel>) =>
  loading.then(
    async (model) => {
      await model.dispose();
      return new Error('loaded') as Error & { code?: string; param?: string };
    },
    (e: unknown) => e as Error & { code?: string; param?: string },
  );

/** The classifier folder with its ONNX file under these names (`model_quantized.onnx`…) instead. */
async function classifierWith(name: string, files: string[]): Promise<string> {
  const folder = path.join(scratch, name);
  await cp(bert.classifier, folder, { recursive: true });
  const onnx = path.join(folder, 'onnx');
  for (const file of files)
    if (file !== 'model.onnx') await cp(path.join(onnx, 'model.onnx'), path.join(onnx, file));
  if (!files.includes('model.onnx')) await rm(path.join(onnx, 'model.onnx'));
  return folder;
}

describe('loading a transformers model folder', () => {
  it('reads only local files: a configured dtype without its file is refused naming what the folder has', async () => {
    const err = await failure(
      load(bert.classifier, { task: 'text-classification', taskConfig: { dtype: 'q8' } }),
    );
    expect(err).toMatchObject({ code: 'invalid_config', param: 'config.dtype' });
    expect(err.message).toMatch(/^Invalid version config for text-classification, config\.dtype: q8 needs /);
    expect(err.message).toContain('model_quantized.onnx');
    expect(err.message).toContain('onnx/ holds: model.onnx (fp32)');
    expect(err.message).not.toContain('tried to fetch');
  });

  it('without a configured dtype, loads the first the folder holds: fp32, then fp16, then q8', async () => {
    const cases: [string, string[], string][] = [
      ['quantized-only', ['model_quantized.onnx'], 'q8'],
      ['half-and-quantized', ['model_quantized.onnx', 'model_fp16.onnx'], 'fp16'],
      ['all', ['model_q4.onnx', 'model.onnx', 'model_fp16.onnx'], 'fp32'],
    ];
    for (const [name, files, dtype] of cases) {
      const model = await load(await classifierWith(name, files), { task: 'text-classification' });
      expect(model.info, name).toMatchObject({ task: 'text-classification', dtype });
      await model.dispose();
    }
    const configured = await load(
      await classifierWith('configured', ['model_quantized.onnx', 'model.onnx']),
      {
        task: 'text-classification',
        taskConfig: { dtype: 'q8' },
      },
    );
    expect(configured.info).toMatchObject({ dtype: 'q8' });
    await configured.dispose();
  });

  it('fails without ONNX files or a tokenizer, and for a non-whisper speech model', async () => {
    const err = await failure(load(empty, { task: 'text-classification' }));
    expect(err.message).toMatch(/cannot load text-classification/);
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
      pooling: 'mean',
      normalize: false,
      other: 1,
    });
  });
});
