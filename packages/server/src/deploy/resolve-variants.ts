import type { Principal } from '../auth/index.js';
import type { RegistryService, VersionRef } from '../registry/index.js';
import type { AskedVariant } from './asked-variants.js';
import type { ResolvedVariant } from './revision-plans.js';
import type { StoredVariant } from './variants.js';

/** The registry reference of a version asked as a number, an alias, or (undefined) the latest. */
export function refFor(model: string, version: number | string | undefined): VersionRef {
  if (version === undefined) return { model, kind: 'latest' };
  return typeof version === 'number'
    ? { model, kind: 'number', version }
    : { model, kind: 'alias', alias: version };
}

/** Resolves each asked variant's version (the registry's 404 for an unknown one or alias). */
export function resolveAsked(
  registry: RegistryService,
  p: Principal,
  model: string,
  asked: readonly AskedVariant[],
): Promise<ResolvedVariant[]> {
  return Promise.all(
    asked.map(async ({ modelVersion, ...v }): Promise<ResolvedVariant> => {
      const resolved = await registry.resolveRef(p, refFor(model, modelVersion));
      const { name, instances, weight, role, samplingPercent } = v;
      return {
        name,
        version: resolved.version.version,
        instances,
        weight,
        role,
        ...(samplingPercent === undefined ? {} : { samplingPercent }),
        resolved,
      };
    }),
  );
}

/** The resolved variants of a stored revision. */
export function resolveStored(
  registry: RegistryService,
  p: Principal,
  model: string,
  variants: readonly StoredVariant[],
): Promise<ResolvedVariant[]> {
  return Promise.all(
    variants.map(async (v) => ({
      ...v,
      resolved: await registry.resolveRef(p, { model, kind: 'number', version: v.version }),
    })),
  );
}
