/**
 * A refused or failed call, whichever protocol answered: the management API's
 * `{error:{code,message,requestId}}`, the OpenAI routes' `{error:{message,code,type}}` or the
 * inference routes' `{error:"…"}`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The key was refused (missing, revoked, expired): the console signs out. */
  get unauthenticated(): boolean {
    return this.status === 401;
  }

  /** The key is valid but lacks a scope or model: the server said no. */
  get forbidden(): boolean {
    return this.status === 403;
  }

  static from(response: Response, body: unknown): ApiError {
    const requestId = response.headers.get('x-request-id');
    const error = (body as { error?: unknown } | null | undefined)?.error;
    if (typeof error === 'string') return new ApiError(response.status, 'error', error, requestId);
    if (error && typeof error === 'object') {
      const e = error as { code?: unknown; message?: unknown; type?: unknown };
      const code = typeof e.code === 'string' ? e.code : typeof e.type === 'string' ? e.type : 'error';
      const message = typeof e.message === 'string' ? e.message : response.statusText;
      return new ApiError(response.status, code, message, requestId);
    }
    return new ApiError(
      response.status,
      'error',
      response.statusText || `HTTP ${response.status}`,
      requestId,
    );
  }
}

/** A JSON error body if there is one; any other body gives the status line only. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  return ApiError.from(response, body);
}
