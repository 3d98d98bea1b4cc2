import { createReadStream } from 'node:fs';
import * as tar from 'tar';
import { AppError, isAppError } from '../platform/errors/index.js';

export const MAX_TAR_ENTRIES = 10_000;
/** Regular files (in their three historical spellings) and directories; links and devices never. */
const ALLOWED_TYPES: ReadonlySet<string> = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

export interface TarListOptions {
  /** Default `MAX_TAR_ENTRIES`. */
  maxEntries?: number;
  /** Sum of the entries' sizes: what unpacking would write (a gzip of zeros is small). */
  maxTotalBytes?: number;
  /** The error for a limit passed; default `invalid_artifact`. */
  limitError?: (message: string, limit: 'entries' | 'bytes') => AppError;
}

export interface TarEntry {
  /** Normalised: no leading `./`, no trailing or doubled slashes. */
  path: string;
  type: string;
  sizeBytes: number;
}

function printable(entryPath: string): string {
  return JSON.stringify(entryPath.replaceAll('\0', '\\0').slice(0, 300));
}

function unsafe(entryPath: string, why: string): AppError {
  return new AppError('unsafe_artifact_path', `Tar entry ${printable(entryPath)} ${why}`);
}

/** Why an entry may not be extracted, if it may not. */
export function entryProblem(entryPath: string, type: string): AppError | undefined {
  if (!ALLOWED_TYPES.has(type)) return unsafe(entryPath, `is a ${type}; only files and folders are allowed`);
  if (entryPath.includes('\0')) return unsafe(entryPath, 'contains a NUL byte');
  if (entryPath.startsWith('/') || /^[a-zA-Z]:/.test(entryPath)) return unsafe(entryPath, 'is absolute');
  // Backslashes are separators on Windows, so they could smuggle a `..` past the check below.
  if (entryPath.includes('\\')) return unsafe(entryPath, 'contains a backslash');
  if (entryPath.split('/').includes('..')) return unsafe(entryPath, 'contains a .. segment');
  return undefined;
}

export function normaliseEntryPath(entryPath: string): string {
  return entryPath
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  return new AppError('invalid_artifact', `Invalid tar archive: ${(err as Error).message}`);
}

/**
 * Lists every entry and refuses the archive at the first unsafe one, or past a limit, before anything
 * is written to disk. Entry bodies are read past, never buffered; a gzip-compressed tar is read too.
 */
export async function listTarEntries(tarPath: string, options: TarListOptions = {}): Promise<TarEntry[]> {
  const maxEntries = options.maxEntries ?? MAX_TAR_ENTRIES;
  const maxTotalBytes = options.maxTotalBytes ?? Number.POSITIVE_INFINITY;
  const limitError = options.limitError ?? ((message: string) => new AppError('invalid_artifact', message));
  const entries: TarEntry[] = [];
  let totalBytes = 0;
  let problem: AppError | undefined;
  const parser = tar.t({
    strict: true,
    onReadEntry: (entry) => {
      if (problem) return;
      totalBytes += entry.size;
      if (entries.length >= maxEntries) {
        problem = limitError(`Tar archive has more than ${maxEntries} entries`, 'entries');
      } else if (totalBytes > maxTotalBytes) {
        problem = limitError(`Tar archive would unpack to more than ${maxTotalBytes} bytes`, 'bytes');
      } else {
        problem = entryProblem(entry.path, entry.type);
        entries.push({ path: normaliseEntryPath(entry.path), type: entry.type, sizeBytes: entry.size });
      }
      if (problem) parser.abort(problem);
    },
  });
  // Entry types node-tar cannot represent (sparse files, volume headers...) arrive here instead.
  parser.on('ignoredEntry', (entry: tar.ReadEntry) => {
    problem ??=
      entryProblem(entry.path, entry.type) ?? unsafe(entry.path, `has unsupported type ${entry.type}`);
    parser.abort(problem);
  });
  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(tarPath);
    const fail = (err: unknown) => {
      input.destroy();
      reject(problem ?? toAppError(err));
    };
    input.on('error', fail);
    parser.on('error', fail);
    parser.on('end', () => (problem ? reject(problem) : resolve()));
    input.pipe(parser);
  });
  return entries;
}

/** Extraction filter: the listing already refused bad entries, this guards against any it missed. */
export function isExtractable(entryPath: string, entry: unknown): boolean {
  return entry instanceof tar.ReadEntry && entryProblem(entryPath, entry.type) === undefined;
}

export async function extractTar(tarPath: string, destDir: string): Promise<void> {
  let refused: string | undefined;
  try {
    await tar.x({
      file: tarPath,
      cwd: destDir,
      strict: true,
      preserveOwner: false,
      filter: (entryPath, entry) => {
        const ok = isExtractable(entryPath, entry);
        if (!ok) refused ??= entryPath;
        return ok;
      },
    });
  } catch (err) {
    throw toAppError(err);
  }
  if (refused !== undefined) throw unsafe(refused, 'may not be extracted');
}
