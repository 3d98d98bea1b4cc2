import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FolderMetadata, OnnxMetadata } from '@modelport/contracts';
import { AppError } from '../platform/errors/index.js';
import { type FolderFile, listFolderFiles } from './folder-files.js';
import { inspectOnnx } from './onnx-inspect.js';
import { extractTar, listTarEntries } from './tar-entries.js';

const CONFIG_FILE = 'config.json';
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** How many single-folder wrappers (`whisper-tiny/`, `Xenova/whisper-tiny/`) are looked through. */
const MAX_WRAPPER_DEPTH = 3;

export interface ExtractedFolder {
  /** Absolute path of the model folder: `destDir` itself or the wrapper folder inside it. */
  root: string;
  metadata: FolderMetadata;
}

function invalid(message: string): AppError {
  return new AppError('invalid_artifact', message);
}

/** The folder holding config.json: the archive root, or a lone top-level folder wrapping everything. */
async function findModelRoot(destDir: string): Promise<string> {
  let root = destDir;
  for (let depth = 0; depth < MAX_WRAPPER_DEPTH; depth++) {
    const entries = await readdir(root, { withFileTypes: true });
    if (entries.some((e) => e.name === CONFIG_FILE)) return root;
    const only = entries.length === 1 ? entries[0] : undefined;
    if (!only?.isDirectory()) return root;
    root = path.join(root, only.name);
  }
  return root;
}

function readModelType(text: string): string | null {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    throw invalid(`${CONFIG_FILE} is not valid JSON`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw invalid(`${CONFIG_FILE} must hold a JSON object`);
  }
  const modelType = (config as Record<string, unknown>).model_type;
  return typeof modelType === 'string' ? modelType : null;
}

async function readConfig(root: string, files: FolderFile[]): Promise<string | null> {
  const config = files.find((f) => f.path === CONFIG_FILE);
  if (config === undefined) throw invalid(`Model folder has no ${CONFIG_FILE}`);
  if (config.sizeBytes > MAX_CONFIG_BYTES)
    throw invalid(`${CONFIG_FILE} is larger than ${MAX_CONFIG_BYTES} bytes`);
  return readModelType(await readFile(path.join(root, CONFIG_FILE), 'utf8'));
}

async function inspectOnnxFiles(root: string, files: FolderFile[]): Promise<Record<string, OnnxMetadata>> {
  const onnxFiles = files.filter((f) => f.path.toLowerCase().endsWith('.onnx'));
  if (onnxFiles.length === 0) throw invalid('Model folder has no .onnx file (expected onnx/*.onnx)');
  const result: Record<string, OnnxMetadata> = {};
  for (const file of onnxFiles) {
    result[file.path] = await inspectOnnx(path.join(root, ...file.path.split('/')), { folder: root });
  }
  return result;
}

/**
 * Validates and unpacks an uncompressed tar of a model folder (transformers.js layout: config.json,
 * onnx/*.onnx, tokenizer files) into `destDir`, which the caller creates empty. Every entry is checked
 * before anything is written: only plain files and folders, all below the archive root.
 */
export async function extractModelFolder(tarPath: string, destDir: string): Promise<ExtractedFolder> {
  const entries = await listTarEntries(tarPath);
  if (!entries.some((e) => e.type !== 'Directory')) throw invalid('Tar archive holds no files');
  await extractTar(tarPath, destDir);
  const root = await findModelRoot(destDir);
  const files = await listFolderFiles(root);
  const modelType = await readConfig(root, files);
  const onnx = await inspectOnnxFiles(root, files);
  return { root, metadata: { modelType, files, onnx } };
}
