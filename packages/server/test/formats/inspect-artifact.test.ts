import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectArtifact } from '../../src/formats/index.js';
import { expectAppError } from '../support/expect-app-error.js';
import { buildGguf, gguf } from '../support/gguf-writer.js';
import { identityModel } from '../support/onnx-builder.js';
import { buildTar } from '../support/tar-writer.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('artifact');

async function upload(bytes: Buffer): Promise<{ file: string; workDir: string }> {
  const dir = await tempDir();
  const file = path.join(dir, 'upload.bin');
  await writeFile(file, bytes);
  return { file, workDir: await tempDir() };
}

describe('inspectArtifact', () => {
  it('dispatches GGUF by content, whatever the file is called', async () => {
    const { file, workDir } = await upload(buildGguf({ kv: [['general.architecture', gguf.str('llama')]] }));
    const result = await inspectArtifact(file, workDir);
    expect(result.format).toBe('gguf');
    expect(result.metadata.gguf?.architecture).toBe('llama');
    expect(result.folderPath).toBeUndefined();
  });

  it('dispatches ONNX', async () => {
    const { file, workDir } = await upload(identityModel());
    const result = await inspectArtifact(file, workDir);
    expect(result).toMatchObject({ format: 'onnx', metadata: { onnx: { irVersion: 8 } } });
  });

  it('unpacks a tar into a fresh folder inside workDir', async () => {
    const { file, workDir } = await upload(
      buildTar([
        { path: 'model/', type: '5' },
        { path: 'model/config.json', data: '{"model_type":"vit"}' },
        { path: 'model/onnx/model.onnx', data: identityModel() },
      ]),
    );
    const result = await inspectArtifact(file, workDir);
    expect(result.format).toBe('folder');
    expect(result.metadata.folder?.modelType).toBe('vit');
    expect(path.dirname(path.dirname(result.folderPath ?? ''))).toBe(workDir);
    expect(await readdir(result.folderPath ?? '')).toEqual(expect.arrayContaining(['config.json', 'onnx']));
  });

  it('removes the unpacked folder when the tar is refused', async () => {
    const { file, workDir } = await upload(
      buildTar([
        { path: 'config.json', data: '{}' },
        { path: 'onnx/model.onnx', data: 'not onnx at all' },
      ]),
    );
    await expectAppError(inspectArtifact(file, workDir), 'invalid_artifact');
    expect(await readdir(workDir)).toEqual([]);
  });

  it('refuses empty, pickled and GGUF v1 uploads', async () => {
    const empty = await upload(Buffer.alloc(0));
    await expectAppError(inspectArtifact(empty.file, empty.workDir), 'empty_artifact');
    const pickle = await upload(Buffer.from([0x80, 0x04, 0x95, 0x00, 0x2e]));
    await expectAppError(inspectArtifact(pickle.file, pickle.workDir), 'forbidden_artifact_format');
    const v1 = await upload(buildGguf({ version: 1 }));
    await expectAppError(inspectArtifact(v1.file, v1.workDir), 'invalid_artifact', /version 1/);
  });
});
