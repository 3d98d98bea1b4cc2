import type { Dataset } from '@modelport/contracts';
import type { TestServer } from './test-server.js';

export interface UploadOptions {
  /** `name` (default `data`), `format`, or anything else to send as query parameters. */
  query?: Record<string, string>;
  contentType?: string;
  key?: string;
  /** Sent as a multipart form with this file name instead of a raw body. */
  multipartName?: string;
}

/** `POST /api/v1/datasets` with a raw body (default) or a multipart `file` part. */
export function uploadDataset(
  t: TestServer,
  bytes: Uint8Array | string,
  options: UploadOptions = {},
): Promise<Response> {
  const query = new URLSearchParams({ name: 'data', ...options.query });
  const body = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const key = options.key === undefined ? {} : { key: options.key };
  if (options.multipartName !== undefined) {
    const form = new FormData();
    form.append('file', new Blob([body]), options.multipartName);
    return t.fetch(`/api/v1/datasets?${query}`, { method: 'POST', body: form, ...key });
  }
  return t.fetch(`/api/v1/datasets?${query}`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/octet-stream' },
    body,
    ...key,
  });
}

/** Uploads and expects 201. */
export async function createDataset(
  t: TestServer,
  bytes: Uint8Array | string,
  options: UploadOptions = {},
): Promise<Dataset> {
  const res = await uploadDataset(t, bytes, options);
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return (await res.json()) as Dataset;
}

export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

export async function errorOf(res: Response): Promise<ErrorAnswer> {
  const body = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
  return { status: res.status, ...body.error };
}
