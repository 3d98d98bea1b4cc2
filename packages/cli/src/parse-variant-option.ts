import { type SetVariantsRequest, variantRequestSchema } from '@modelport/contracts';
import { InvalidArgumentError } from 'commander';
import { parseKeyValues, specNumber } from './key-value-spec.js';
import { firstIssue } from './schema-issue.js';

export type VariantRequest = SetVariantsRequest['variants'][number];

export const VARIANT_SPEC =
  'name=<variant>,version=<n|alias>,weight=<w>[,instances=<n>][,role=production|shadow][,sampling=<percent>]';

const KEYS = ['name', 'version', 'weight', 'instances', 'role', 'sampling'] as const;
const REQUIRED = ['name', 'version', 'weight'] as const;

/** For a repeatable `--variant name=A,version=1,weight=90,instances=1`. */
export function collectVariant(value: string, previous: VariantRequest[] = []): VariantRequest[] {
  return [...previous, parseVariant(value)];
}

export function parseVariant(spec: string): VariantRequest {
  const pairs = parseKeyValues(spec, KEYS);
  const missing = REQUIRED.filter((key) => !pairs.has(key));
  if (missing.length > 0) throw new InvalidArgumentError(`${missing.join(', ')} missing: ${VARIANT_SPEC}.`);
  const version = pairs.get('version') ?? '';
  const instances = pairs.get('instances');
  const role = pairs.get('role');
  const sampling = pairs.get('sampling');
  const request = {
    variantName: pairs.get('name') ?? '',
    modelVersion: /^[0-9]+$/.test(version) ? Number(version) : version,
    weight: specNumber('weight', pairs.get('weight') ?? ''),
    ...(instances === undefined ? {} : { instances: specNumber('instances', instances) }),
    ...(role === undefined ? {} : { role }),
    ...(sampling === undefined ? {} : { samplingPercent: specNumber('sampling', sampling) }),
  };
  const checked = variantRequestSchema.safeParse(request);
  if (!checked.success) {
    throw new InvalidArgumentError(
      `${firstIssue(checked.error, { variantName: 'name', modelVersion: 'version', samplingPercent: 'sampling' })}.`,
    );
  }
  // Send what was typed; the server fills the defaults.
  return request as VariantRequest;
}
