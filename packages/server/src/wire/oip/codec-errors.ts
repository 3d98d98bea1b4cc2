import { AppError } from '../../platform/errors/index.js';

function options(param: string | undefined) {
  return param === undefined ? {} : { param };
}

/** A tensor's datatype, shape, element count or values are wrong. */
export function tensorError(message: string, param?: string): AppError {
  return new AppError('invalid_tensor', message, options(param));
}

/** The binary tensor extension's lengths do not add up. */
export function binaryBodyError(message: string, param?: string): AppError {
  return new AppError('invalid_binary_body', message, options(param));
}

/** A request-level field (id, parameters, inputs, outputs) is missing or has the wrong type. */
export function fieldError(message: string, param?: string): AppError {
  return new AppError('validation_failed', message, options(param));
}

/** Short rendering of a JSON value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
