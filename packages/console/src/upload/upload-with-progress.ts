import { authHeader } from '../access/key-store.js';
import { ApiError } from '../api/api-error.js';
import type { ModelVersion } from '../api/types.js';

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
}

/**
 * `POST /api/v1/models/{name}/versions` as a form: the `config` field first (a header could not
 * hold a thousand labels), then the `file`, which the server streams to disk as it comes.
 * XMLHttpRequest, because fetch reports no upload progress.
 */
export function uploadVersion(
  model: string,
  file: File,
  config: Record<string, unknown> | null,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<ModelVersion> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/models/${encodeURIComponent(model)}/versions`);
    for (const [name, value] of Object.entries(authHeader())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) =>
      onProgress({ sentBytes: e.loaded, totalBytes: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      const body: unknown = safeParse(xhr.responseText);
      if (xhr.status === 201) {
        onProgress({ sentBytes: file.size, totalBytes: file.size });
        resolve(body as ModelVersion);
        return;
      }
      const headers = new Headers();
      const requestId = xhr.getResponseHeader('x-request-id');
      if (requestId) headers.set('x-request-id', requestId);
      reject(ApiError.from(new Response(null, { status: xhr.status, headers }), body));
    };
    xhr.onerror = () => reject(new Error('The upload failed: the connection was lost.'));
    xhr.onabort = () => reject(new Error('The upload was cancelled.'));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    if (config) form.append('config', JSON.stringify(config));
    form.append('file', file);
    xhr.send(form);
  });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
