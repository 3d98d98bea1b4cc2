import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { extractModelFolder } from '../../src/formats/tar-inspect.js';
import { expectAppError } from '../support/expect-app-error.js';
import { externalTensor, identityModel } from '../support/onnx-builder.js';
import { sharedModelFile, sharedModelsDir } from '../support/shared-models.js';
import { buildTar, type RawTarEntry } from '../support/tar-writer.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('tar');

const CONFIG = JSON.stringify({ model_type: 'bert', hidden_size: 8 });
const TOKENIZER = JSON.stringify({ version: '1.0', model: { type: 'WordPiece', vocab: { a: 0 } } });

/** Writes a transformers.js-style folder `<dir>/<name>/` and returns `dir`. */
async function writeModelFolder(name: string, files: Record<string, Buffer | string>): Promise<string> {
  const dir = await tempDir();
  for (const [rel, data] of Object.entries(files)) {
    const full = path.join(dir, name, rel);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, data);
  }
  return dir;
}

async function writeRawTar(entries: RawTarEntry[]): Promise<string> {
  const file = path.join(await tempDir(), 'upload.tar');
  await writeFile(file, buildTar(entries));
  return file;
}

/** Extracts into a fresh empty folder, as the caller does. */
async function extract(tarPath: string) {
  const dest = await tempDir();
  return { dest, result: extractModelFolder(tarPath, dest) };
}

const validFiles = {
  'config.json': CONFIG,
  'tokenizer.json': TOKENIZER,
  'onnx/model.onnx': identityModel(),
};

describe('extractModelFolder', () => {
  it('unpacks a wrapped transformers.js folder and describes it', async () => {
    const dir = await writeModelFolder('tiny-bert', validFiles);
    const tarPath = path.join(dir, 'upload.tar');
    await tar.c({ file: tarPath, cwd: dir, portable: true }, ['tiny-bert']);
    const { dest, result } = await extract(tarPath);
    const { root, metadata } = await result;
    expect(root).toBe(path.join(dest, 'tiny-bert'));
    expect(metadata.modelType).toBe('bert');
    expect(metadata.files.map((f) => f.path)).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json']);
    expect(metadata.files[0]?.sizeBytes).toBe(CONFIG.length);
    expect(Object.keys(metadata.onnx)).toEqual(['onnx/model.onnx']);
    expect(metadata.onnx['onnx/model.onnx']?.inputs[0]?.name).toBe('x');
  });

  it('accepts files at the archive root (./ prefixes) and external data inside the folder', async () => {
    const model = identityModel({ initializers: [externalTensor('w', 4, { location: 'model.onnx_data' })] });
    const dir = await writeModelFolder('m', {
      'config.json': '{}',
      'onnx/model.onnx': model,
      'onnx/model.onnx_data': Buffer.alloc(16),
    });
    const tarPath = path.join(dir, 'upload.tar');
    await tar.c({ file: tarPath, cwd: path.join(dir, 'm') }, ['.']);
    const { dest, result } = await extract(tarPath);
    const { root, metadata } = await result;
    expect(root).toBe(dest);
    expect(metadata.modelType).toBeNull();
    expect(metadata.onnx['onnx/model.onnx']?.externalData).toEqual(['model.onnx_data']);
  });

  const hostile: [string, RawTarEntry, RegExp][] = [
    ['a ../ path', { path: '../evil', data: 'x' }, /"\.\.\/evil" contains a \.\. segment/],
    ['a nested ../ path', { path: 'model/../../evil', data: 'x' }, /\.\. segment/],
    ['an absolute path', { path: '/etc/x', data: 'x' }, /"\/etc\/x" is absolute/],
    ['a symlink', { path: 'link', type: '2', linkpath: '/etc/passwd' }, /"link" is a SymbolicLink/],
    ['a hard link', { path: 'hard', type: '1', linkpath: 'config.json' }, /"hard" is a Link/],
    ['a character device', { path: 'tty', type: '3' }, /"tty" is a CharacterDevice/],
    ['a block device', { path: 'sda', type: '4' }, /BlockDevice/],
    ['a FIFO', { path: 'pipe', type: '6' }, /FIFO/],
  ];
  for (const [what, entry, message] of hostile) {
    it(`refuses ${what} before writing anything`, async () => {
      const tarPath = await writeRawTar([
        { path: 'config.json', data: CONFIG },
        entry,
        { path: 'onnx/model.onnx', data: identityModel() },
      ]);
      const { dest, result } = await extract(tarPath);
      await expectAppError(result, 'unsafe_artifact_path', message);
      expect(await readdir(dest)).toEqual([]);
    });
  }

  it('checks the path a PAX header or GNU long name gives, not the plain header name', async () => {
    const pax = '16 path=../evil\n';
    const paxTar = await writeRawTar([
      { path: 'PaxHeader/benign', type: 'x', data: pax },
      { path: 'benign', data: 'x' },
    ]);
    await expectAppError((await extract(paxTar)).result, 'unsafe_artifact_path', /"\.\.\/evil"/);
    const gnuTar = await writeRawTar([
      { path: '././@LongLink', type: 'L', data: '/etc/evil\0' },
      { path: 'b', data: 'x' },
    ]);
    await expectAppError((await extract(gnuTar)).result, 'unsafe_artifact_path', /"\/etc\/evil" is absolute/);
  });

  it('refuses an archive without config.json', async () => {
    const tarPath = await writeRawTar([{ path: 'onnx/model.onnx', data: identityModel() }]);
    await expectAppError((await extract(tarPath)).result, 'invalid_artifact', /no config\.json/);
  });

  it('refuses a config.json that is not a JSON object, and a folder without ONNX', async () => {
    const notJson = await writeRawTar([
      { path: 'config.json', data: '{nope' },
      { path: 'a.onnx', data: identityModel() },
    ]);
    await expectAppError((await extract(notJson)).result, 'invalid_artifact', /not valid JSON/);
    const array = await writeRawTar([
      { path: 'config.json', data: '[1]' },
      { path: 'a.onnx', data: identityModel() },
    ]);
    await expectAppError((await extract(array)).result, 'invalid_artifact', /JSON object/);
    const noOnnx = await writeRawTar([{ path: 'config.json', data: '{}' }]);
    await expectAppError((await extract(noOnnx)).result, 'invalid_artifact', /no \.onnx/);
  });

  it('refuses a corrupt header checksum and an invalid ONNX inside', async () => {
    const corrupt = buildTar([{ path: 'config.json', data: CONFIG }]);
    corrupt[0] = 0x43; // 'C': the header no longer matches its checksum
    const corruptPath = path.join(await tempDir(), 'corrupt.tar');
    await writeFile(corruptPath, corrupt);
    await expectAppError((await extract(corruptPath)).result, 'invalid_artifact', /tar/i);
    const badOnnx = await writeRawTar([
      { path: 'config.json', data: '{}' },
      { path: 'm.onnx', data: 'garbage!' },
    ]);
    await expectAppError((await extract(badOnnx)).result, 'invalid_artifact');
  });

  it('refuses more than 10,000 entries', async () => {
    const entries: RawTarEntry[] = Array.from({ length: 10_001 }, (_, i) => ({ path: `d${i}/`, type: '5' }));
    await expectAppError(
      (await extract(await writeRawTar(entries))).result,
      'invalid_artifact',
      /10000 entries/,
    );
  });

  const whisper = sharedModelFile('whisper-tiny/Xenova/whisper-tiny/config.json');
  it.skipIf(whisper.skip)('unpacks the real whisper-tiny folder', { timeout: 120_000 }, async () => {
    const tarPath = path.join(await tempDir(), 'whisper-tiny.tar');
    await tar.c({ file: tarPath, cwd: path.join(sharedModelsDir, 'whisper-tiny', 'Xenova') }, [
      'whisper-tiny',
    ]);
    const { dest, result } = await extract(tarPath);
    const { root, metadata } = await result;
    expect(root).toBe(path.join(dest, 'whisper-tiny'));
    expect(metadata.modelType).toBe('whisper');
    expect(Object.keys(metadata.onnx).sort()).toEqual([
      'onnx/decoder_model_merged_quantized.onnx',
      'onnx/encoder_model_quantized.onnx',
    ]);
    const encoder = metadata.onnx['onnx/encoder_model_quantized.onnx'];
    expect(encoder?.inputs).toEqual([{ name: 'input_features', datatype: 'FP32', shape: [-1, -1, -1] }]);
    const decoderSize = (await stat(path.join(root, 'onnx/decoder_model_merged_quantized.onnx'))).size;
    expect(metadata.files.find((f) => f.path === 'onnx/decoder_model_merged_quantized.onnx')?.sizeBytes).toBe(
      decoderSize,
    );
  });
});
