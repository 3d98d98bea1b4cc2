import type { ErrorCode, ManagementErrorBody, PullJob, Rollout } from '@modelport/contracts';

/** Catalog codes, plus the ones the client itself raises when no usable answer came back. */
export type ModelportErrorCode =
  | ErrorCode
  | 'connection_error'
  | 'timeout'
  | 'invalid_response'
  | 'unknown_error'
  | 'wait_timeout';

export interface ModelportErrorInit {
  status?: number | undefined;
  code: ModelportErrorCode;
  message: string;
  requestId?: string | undefined;
  details?: unknown;
  cause?: unknown;
}

/** Base of every error the SDK throws: `catch (e) { if (e instanceof ModelportError) e.code }`. */
export class ModelportError extends Error {
  /** HTTP status; undefined when no response arrived. */
  readonly status: number | undefined;
  readonly code: ModelportErrorCode;
  /** The server's `x-request-id`, which locates the request in its logs. */
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(init: ModelportErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.details = init.details;
  }
}

export class BadRequestError extends ModelportError {}
export class AuthenticationError extends ModelportError {}
export class PermissionDeniedError extends ModelportError {}
export class NotFoundError extends ModelportError {}
export class ConflictError extends ModelportError {}
export class PayloadTooLargeError extends ModelportError {}
export class UnprocessableEntityError extends ModelportError {}
export class RateLimitError extends ModelportError {}
export class InternalServerError extends ModelportError {}
/** The server could not be reached, or the connection broke before a response. */
export class ConnectionError extends ModelportError {}
export class ConnectionTimeoutError extends ConnectionError {}
/** A response arrived but does not match the API contract (wrong server, proxy page, version skew). */
export class InvalidResponseError extends ModelportError {}

/** `rollouts.wait()` ran out of `timeoutMs`; the rollout goes on, `rollout` is how it last looked. */
export class RolloutWaitTimeoutError extends ModelportError {
  readonly rollout: Rollout | undefined;

  constructor(init: Omit<ModelportErrorInit, 'code'> & { rollout: Rollout | undefined }) {
    super({ ...init, code: 'wait_timeout' });
    this.rollout = init.rollout;
  }
}

/** `pulls.wait()` ran out of `timeoutMs`; the pull goes on, `pull` is how it last looked. */
export class PullWaitTimeoutError extends ModelportError {
  readonly pull: PullJob | undefined;

  constructor(init: Omit<ModelportErrorInit, 'code'> & { pull: PullJob | undefined }) {
    super({ ...init, code: 'wait_timeout' });
    this.pull = init.pull;
  }
}

type ErrorClass = new (init: ModelportErrorInit) => ModelportError;

const byStatus: Record<number, ErrorClass> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

function classFor(status: number): ErrorClass {
  if (status >= 500) return InternalServerError;
  return byStatus[status] ?? ModelportError;
}

function isManagementErrorBody(body: unknown): body is ManagementErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
  );
}

/** Builds the subclass matching an HTTP error status from the parsed body (JSON or not). */
export function errorFromResponse(
  status: number,
  body: unknown,
  requestId: string | undefined,
): ModelportError {
  const Class = classFor(status);
  if (isManagementErrorBody(body)) {
    const { code, message, details } = body.error;
    return new Class({ status, code, message, requestId: body.error.requestId || requestId, details });
  }
  const text = typeof body === 'string' && body.length > 0 ? body.slice(0, 200) : `HTTP ${status}`;
  return new Class({ status, code: 'unknown_error', message: text, requestId });
}
