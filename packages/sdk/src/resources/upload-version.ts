import { type ModelVersion, modelVersionSchema, type VersionConfig } from '@modelport/contracts';
import { asciiJson } from '../ascii-json.js';
import { multipartFrame } from '../multipart-body.js';
import { paths } from '../paths.js';
import { counted, pullStream } from '../pull-stream.js';
import { parseBody, type Transport } from '../transport.js';
import { openUploadSource, type UploadSource } from '../upload-source.js';

export interface UploadOptions {
  /** Pipeline settings stored with the version (changeable later with `setConfig`). */
  config?: VersionConfig;
  /** Called as bytes are handed to the connection; `totalBytes` is undefined for a stream of unknown size. */
  onProgress?: (sentBytes: number, totalBytes: number | undefined) => void;
  /** Byte length of a stream source: lets the SDK send Content-Length and report a total. */
  size?: number;
  /** File name the server sees in a multipart upload (used when the config is too large for a header). */
  fileName?: string;
}

/** Past this, the config travels as a multipart field: servers cap header sizes (Node: 16 KiB in all). */
const MAX_CONFIG_HEADER_BYTES = 8 * 1024;

interface UploadRequest {
  headers: Record<string, string>;
  parts: Array<Uint8Array | AsyncIterable<Uint8Array>>;
}

export async function uploadVersion(
  transport: Transport,
  name: string,
  source: UploadSource,
  options: UploadOptions = {},
): Promise<ModelVersion> {
  const opened = await openUploadSource(source, options.size);
  const total = opened.totalBytes;
  let sent = 0;
  options.onProgress?.(0, total);
  const file = counted(opened.chunks, (bytes) => {
    sent += bytes;
    options.onProgress?.(sent, total);
  });
  const { headers, parts } = buildRequest(file, total, options);
  const idle = transport.newIdleTimeout();
  try {
    const body = pullStream(parts, () => idle.touch());
    const res = await transport.send({ method: 'POST', path: paths.versions(name), headers, body }, idle);
    return parseBody(modelVersionSchema, await res.json().catch(() => undefined), res);
  } finally {
    idle.clear();
  }
}

function buildRequest(
  file: AsyncIterable<Uint8Array>,
  total: number | undefined,
  options: UploadOptions,
): UploadRequest {
  const configJson = options.config === undefined ? undefined : asciiJson(options.config);
  if (configJson === undefined || configJson.length <= MAX_CONFIG_HEADER_BYTES) {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (total !== undefined) headers['content-length'] = String(total);
    if (configJson !== undefined) headers['modelport-config'] = configJson;
    return { headers, parts: [file] };
  }
  const frame = multipartFrame(configJson, options.fileName ?? 'artifact');
  const headers: Record<string, string> = { 'content-type': frame.contentType };
  if (total !== undefined) {
    headers['content-length'] = String(frame.head.byteLength + total + frame.tail.byteLength);
  }
  return { headers, parts: [frame.head, file, frame.tail] };
}
