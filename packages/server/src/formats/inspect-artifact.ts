import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactFormat, ArtifactMetadata } from '@modelport/contracts';
import { inspectGguf } from './gguf-inspect.js';
import { inspectOnnx } from './onnx-inspect.js';
import { readHead } from './read-head.js';
import { sniffFormat } from './sniff.js';
import { extractModelFolder } from './tar-inspect.js';

export interface InspectedArtifact {
  format: ArtifactFormat;
  metadata: ArtifactMetadata;
  /**
   * For a folder upload: the model folder, unpacked inside a fresh `folder-*` directory of `workDir`
   * (one level deeper when the archive wrapped everything in a top folder). The caller owns it.
   */
  folderPath?: string;
}

async function unpackFolder(filePath: string, workDir: string): Promise<InspectedArtifact> {
  const destDir = await mkdtemp(path.join(workDir, 'folder-'));
  try {
    const { root, metadata } = await extractModelFolder(filePath, destDir);
    return { format: 'folder', metadata: { folder: metadata }, folderPath: root };
  } catch (err) {
    await rm(destDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Identifies an uploaded artifact by its content and validates it. Throws an AppError
 * (`empty_artifact`, `forbidden_artifact_format`, `unsupported_artifact_format`, `invalid_artifact`,
 * `unsafe_artifact_path`) when it may not be registered.
 */
export async function inspectArtifact(filePath: string, workDir: string): Promise<InspectedArtifact> {
  const format = sniffFormat(await readHead(filePath));
  switch (format) {
    case 'gguf':
      return { format: 'gguf', metadata: { gguf: await inspectGguf(filePath) } };
    case 'onnx':
      return { format: 'onnx', metadata: { onnx: await inspectOnnx(filePath, {}) } };
    case 'tar':
      return unpackFolder(filePath, workDir);
  }
}
