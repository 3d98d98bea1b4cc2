import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/index.js';
import type { Principal } from './principal.js';

/** The caller of an authenticated route; the auth hook has already refused everyone else. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('missing_api_key');
  return request.principal;
}
