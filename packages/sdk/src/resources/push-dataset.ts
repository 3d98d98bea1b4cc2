import { type Dataset, type DatasetFormat, datasetSchema } from '@modelport/contracts';
import { paths } from '../paths.js';
import { counted, pullStream } from '../pull-stream.js';
import { parseBody, type Transport } from '../transport.js';
import { openUploadSource, type UploadSource } from '../upload-source.js';

export interface PushDatasetOptions {
  /** The dataset's name: lower case, `[a-z0-9][a-z0-9._-]*`. */
  name: string;
  /** Skips detection; by default the server tells an archive by its bytes, CSV from JSON Lines by the type sent. */
  format?: DatasetFormat;
  /** Byte length of a stream source: lets the SDK send Content-Length and report a total. */
  size?: number;
  /** Called as bytes are handed to the connection; `totalBytes` is undefined for a stream of unknown size. */
  onProgress?: (sentBytes: number, totalBytes: number | undefined) => void;
}

/** What a file's name says it holds, sent as the Content-Type (the server checks the bytes). */
const TYPES: ReadonlyArray<readonly [string, string]> = [
  ['.csv', 'text/csv'],
  ['.jsonl', 'application/x-ndjson'],
  ['.ndjson', 'application/x-ndjson'],
  ['.tar', 'application/x-tar'],
  ['.tgz', 'application/gzip'],
  ['.tar.gz', 'application/gzip'],
];

export function mediaTypeFor(source: UploadSource): string {
  const name = typeof source === 'string' ? source.toLowerCase() : '';
  return TYPES.find(([ext]) => name.endsWith(ext))?.[1] ?? 'application/octet-stream';
}

export async function pushDataset(
  transport: Transport,
  source: UploadSource,
  options: PushDatasetOptions,
): Promise<Dataset> {
  const opened = await openUploadSource(source, options.size);
  const total = opened.totalBytes;
  let sent = 0;
  options.onProgress?.(0, total);
  const file = counted(opened.chunks, (bytes) => {
    sent += bytes;
    options.onProgress?.(sent, total);
  });
  const headers: Record<string, string> = { 'content-type': mediaTypeFor(source) };
  if (total !== undefined) headers['content-length'] = String(total);
  const query = new URLSearchParams({ name: options.name });
  if (options.format !== undefined) query.set('format', options.format);
  const idle = transport.newIdleTimeout();
  try {
    const body = pullStream([file], () => idle.touch());
    const path = `${paths.datasets()}?${query}`;
    const res = await transport.send({ method: 'POST', path, headers, body }, idle);
    return parseBody(datasetSchema, await res.json().catch(() => undefined), res);
  } finally {
    idle.clear();
  }
}
