import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from './app-error.js';
import { unknownFieldsMessage } from './unknown-fields.js';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: unknown;
}

/** Maps anything thrown (ours, Fastify's, a library's) onto the catalog, so no route answers a bare 500. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      path: v.instancePath || '/',
      message:
        v.keyword === 'unrecognized_keys' && Array.isArray(v.params.keys)
          ? unknownFieldsMessage(v.params.keys)
          : (v.message ?? 'invalid'),
    }));
    const where = err.validationContext ?? 'request';
    const first = issues[0];
    const at = first && first.path !== '/' ? `${first.path} ` : '';
    return new AppError('validation_failed', `Invalid ${where}: ${at}${first?.message ?? 'bad value'}`, {
      details: issues,
    });
  }
  const e = err as FastifyLikeError;
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', e.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('payload_too_large', e.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', e.message);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new AppError('bad_request', e.message);
  }
  if (e.validation) return new AppError('validation_failed', e.message);
  if (isStoreAway(err)) {
    return new AppError('store_unavailable', 'The database cannot be reached right now.', {
      retryAfterS: 1,
      cause: err,
    });
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 413) return new AppError('payload_too_large', e.message);
    if (e.statusCode === 415) return new AppError('unsupported_media_type', e.message);
    return new AppError('bad_request', e.message);
  }
  return new AppError('internal_error', 'Internal server error', { cause: err });
}

/** Socket errors that mean the other end is away, as the PostgreSQL driver reports them. */
const AWAY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * The database is away (restarting, failing over, a cut): a connection refused or broken, a
 * connection-class SQLSTATE (08…), or the server shutting down (57P01–57P03).
 */
function isStoreAway(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (AWAY_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code)))
    return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(
    err.message,
  );
}
