import { isValidName } from '@modelport/contracts';
import { AppError } from '../platform/errors/index.js';

/** A version as callers address it: `name`, `name:3` or `name@production`. */
export type VersionRef = { model: string } & (
  | { kind: 'latest' }
  | { kind: 'number'; version: number }
  | { kind: 'alias'; alias: string }
);

export function parseVersionRef(ref: string): VersionRef {
  const at = ref.indexOf('@');
  const colon = ref.indexOf(':');
  if (at > 0 && colon < 0) {
    const model = ref.slice(0, at);
    const alias = ref.slice(at + 1);
    if (isValidName(model) && isValidName(alias)) return { model, kind: 'alias', alias };
  } else if (colon > 0 && at < 0) {
    const model = ref.slice(0, colon);
    const version = Number(ref.slice(colon + 1));
    if (isValidName(model) && Number.isSafeInteger(version) && version > 0)
      return { model, kind: 'number', version };
  } else if (at < 0 && colon < 0 && isValidName(ref)) {
    return { model: ref, kind: 'latest' };
  }
  throw new AppError('invalid_name', `'${ref}' is not a model reference (name, name:version or name@alias).`);
}

/** Path segment `/versions/{v}`: a number or an alias name. */
export function parseVersionSegment(model: string, segment: string): VersionRef {
  if (/^[0-9]+$/.test(segment)) {
    const version = Number(segment);
    if (Number.isSafeInteger(version) && version > 0) return { model, kind: 'number', version };
  } else if (isValidName(segment)) {
    return { model, kind: 'alias', alias: segment };
  }
  throw new AppError('version_not_found', `'${segment}' is neither a version number nor an alias.`);
}
