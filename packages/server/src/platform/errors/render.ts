import type { ManagementErrorBody } from '@modelport/contracts';
import type { AppError } from './app-error.js';

/** Each protocol keeps its own error shape, whatever the error (401, 404, 429, 5xx…). */
export type ErrorProtocol = 'management' | 'openai' | 'oip';

export function protocolForUrl(url: string): ErrorProtocol {
  if (url.startsWith('/v1/')) return 'openai';
  if (url.startsWith('/v2')) return 'oip';
  return 'management';
}

export function renderError(protocol: ErrorProtocol, err: AppError, requestId: string): unknown {
  switch (protocol) {
    case 'oip':
      return { error: err.message };
    case 'openai':
      return {
        error: {
          message: err.message,
          type: err.code === 'insufficient_quota' ? 'insufficient_quota' : openAiType(err.status),
          param: err.param ?? null,
          code: err.code,
        },
      };
    default: {
      const body: ManagementErrorBody = { error: { code: err.code, message: err.message, requestId } };
      if (err.details !== undefined) body.error.details = err.details;
      return body;
    }
  }
}

function openAiType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 503) return 'service_unavailable_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
