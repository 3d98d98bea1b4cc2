import type { Variant } from '@modelport/contracts';
import { z } from 'zod';
import type { TrafficSplit } from '../engine/index.js';
import { AppError } from '../platform/errors/index.js';

/** What a deployment made before variants is: one variant taking all of its traffic. */
export const DEFAULT_VARIANT = 'default';

const storedVariantsSchema = z.array(
  z.object({
    name: z.string(),
    version: z.number().int(),
    instances: z.number().int(),
    weight: z.number(),
    role: z.enum(['production', 'shadow']),
    samplingPercent: z.number().optional(),
  }),
);

/** A variant as a revision stores it (`deployment_revisions.variants`), its version resolved. */
export type StoredVariant = z.infer<typeof storedVariantsSchema>[number];

const parsed = new Map<string, StoredVariant[]>();

/** The variants of a revision's JSON column (read once per distinct text: every request reads them). */
export function parseVariants(json: string): StoredVariant[] {
  let variants = parsed.get(json);
  if (!variants) {
    variants = storedVariantsSchema.parse(JSON.parse(json));
    if (parsed.size > 1000) parsed.clear();
    parsed.set(json, variants);
  }
  return variants;
}

/** Refuses variants that cannot form a revision, before anything is started or stored. */
export function checkVariants(
  variants: readonly Pick<StoredVariant, 'name' | 'weight' | 'role' | 'samplingPercent'>[],
): void {
  const names = new Set<string>();
  for (const { name } of variants) {
    if (names.has(name)) throw new AppError('invalid_variants', `Two variants are named '${name}'.`);
    names.add(name);
  }
  for (const v of variants) {
    if (v.role === 'shadow' && v.samplingPercent === undefined)
      throw new AppError('invalid_variants', `Shadow variant '${v.name}' needs a samplingPercent.`);
    if (v.role === 'shadow' && v.weight !== 0)
      throw new AppError(
        'invalid_variants',
        `Shadow variant '${v.name}' takes no traffic: its weight must be 0.`,
      );
    if (v.role === 'production' && v.samplingPercent !== undefined)
      throw new AppError('invalid_variants', `Production variant '${v.name}' takes no samplingPercent.`);
  }
  const production = variants.filter((v) => v.role === 'production');
  if (production.length === 0)
    throw new AppError('invalid_variants', 'A revision needs a production variant.');
  if (production.every((v) => v.weight === 0))
    throw new AppError('invalid_variants', 'At least one production variant needs a weight above 0.');
}

/** The variant the deployment's summary (`version`, `settings.instances`) describes: the heaviest production one. */
export function primaryVariant(variants: readonly StoredVariant[]): StoredVariant {
  const [first, ...rest] = variants;
  if (!first) throw new Error('a revision has at least one variant');
  return rest.reduce((best, v) => (v.role === 'production' && v.weight > best.weight ? v : best), first);
}

export function variantView(v: StoredVariant): Variant {
  return {
    variantName: v.name,
    modelVersion: v.version,
    instances: v.instances,
    weight: v.weight,
    role: v.role,
    samplingPercent: v.samplingPercent ?? null,
  };
}

export function trafficSplit(
  revision: number,
  salt: string,
  variants: readonly StoredVariant[],
): TrafficSplit {
  return {
    revision,
    salt,
    weights: variants
      .filter((v) => v.role === 'production')
      .map((v) => ({ variant: v.name, weight: v.weight })),
  };
}
