import type { DatasetFormat } from '@modelport/contracts';
import { invalidDataset } from './dataset-problems.js';

export interface DatasetFormatHints {
  /** The caller's explicit choice (`?format=`): it wins over everything but contradicting bytes. */
  format?: DatasetFormat | undefined;
  /** Content-Type of the body or the multipart part, without parameters. */
  mediaType?: string | undefined;
  /** The multipart part's file name. */
  fileName?: string | undefined;
}

const MEDIA_TYPES: Readonly<Record<string, DatasetFormat>> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'application/x-tar': 'images',
  'application/gzip': 'images',
  'application/x-gzip': 'images',
};
const EXTENSIONS: ReadonlyArray<readonly [string, DatasetFormat]> = [
  ['.csv', 'csv'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.tar', 'images'],
  ['.tgz', 'images'],
  ['.tar.gz', 'images'],
];
const TAR_MAGIC_OFFSET = 257;

function isArchive(head: Buffer): boolean {
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  return gzip || head.toString('latin1', TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + 5) === 'ustar';
}

function declaredFormat(hints: DatasetFormatHints): DatasetFormat | undefined {
  const byType = hints.mediaType === undefined ? undefined : MEDIA_TYPES[hints.mediaType];
  const name = hints.fileName?.toLowerCase();
  return byType ?? EXTENSIONS.find(([ext]) => name?.endsWith(ext))?.[1];
}

/** Text is what CSV and JSON Lines are; a NUL byte never appears in UTF-8 text. */
function refuseBinary(head: Buffer): void {
  if (head[0] === 0x50 && head[1] === 0x4b) {
    throw invalidDataset('Zip archives are not accepted: upload a tar or .tar.gz of the image folder.');
  }
  if (head.includes(0)) {
    throw invalidDataset('The file is neither UTF-8 text (CSV, JSON Lines) nor a tar or .tar.gz archive.');
  }
}

/**
 * A dataset's format from its first bytes (pass a few KiB): an archive's magic bytes say `images`;
 * text is CSV or JSON Lines as `?format=`, the Content-Type or the file's extension declare, else a
 * first `{` says JSON Lines and anything else CSV. Throws `invalid_dataset` for bytes that fit none.
 */
export function detectDatasetFormat(head: Buffer, hints: DatasetFormatHints = {}): DatasetFormat {
  if (head.length === 0) throw invalidDataset('The file is empty.');
  const archive = isArchive(head);
  if (hints.format === 'images' || (hints.format === undefined && archive)) {
    if (!archive)
      throw invalidDataset('An image dataset is a tar or .tar.gz archive; these bytes are not one.');
    return 'images';
  }
  if (archive)
    throw invalidDataset(`The file is a tar archive, not ${hints.format === 'csv' ? 'CSV' : 'JSON Lines'}.`);
  refuseBinary(head);
  const declared = hints.format ?? declaredFormat(hints);
  if (declared === 'csv' || declared === 'jsonl') return declared;
  const first = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()[0];
  if (first === '[') {
    throw invalidDataset('A JSON array is not accepted: write JSON Lines, one object per line.', { line: 1 });
  }
  return first === '{' ? 'jsonl' : 'csv';
}
