import type { DeploymentSettings, variantRequestSchema } from '@modelport/contracts';
import type { z } from 'zod';
import type { DeploymentRow, RevisionRow } from './repo.js';
import type { ResolvedVariant } from './revision-plans.js';
import { DEFAULT_VARIANT, primaryVariant, type StoredVariant } from './variants.js';

type VariantRequest = z.output<typeof variantRequestSchema>;

/** A variant as a request asks for it: its version a number, an alias, or (undefined) the latest. */
export type AskedVariant = Omit<StoredVariant, 'version'> & { modelVersion: number | string | undefined };

/** The variants of `PUT …/variants`, or of a create's `variants`, under their stored names. */
export function askedVariants(variants: readonly VariantRequest[]): AskedVariant[] {
  return variants.map(({ variantName, modelVersion, instances, weight, role, samplingPercent }) => ({
    name: variantName,
    modelVersion,
    instances,
    weight,
    role,
    ...(samplingPercent === undefined ? {} : { samplingPercent }),
  }));
}

/** What a create without `variants` asks for: one variant `default` of `version`, taking all traffic. */
export function defaultVariant(modelVersion: number | string | undefined, instances: number): AskedVariant {
  return { name: DEFAULT_VARIANT, modelVersion, instances, weight: 100, role: 'production' };
}

/** The variants a revision stores: without the registry rows they were resolved to. */
export function storedVariants(variants: readonly ResolvedVariant[]): StoredVariant[] {
  return variants.map(({ resolved: _, ...v }) => v);
}

interface NewDeployment {
  id: string;
  projectId: string;
  name: string;
  settings: DeploymentSettings;
  variants: readonly ResolvedVariant[];
  now: string;
}

/**
 * The rows of a new deployment and of its revision 1 (its salt the deployment's id): the summary
 * (`version`, `settings.instances`) follows the heaviest production variant.
 */
export function firstRevisionRows(input: NewDeployment) {
  const { id, now, variants } = input;
  const primary = primaryVariant(variants);
  // Every variant serves a version of the one model.
  const model = variants[0]?.resolved.model;
  if (!model) throw new Error('a revision has at least one variant');
  const settings = { ...input.settings, instances: primary.instances };
  const row: DeploymentRow = {
    id,
    project_id: input.projectId,
    name: input.name,
    model_id: model.id,
    version: primary.version,
    spec: JSON.stringify(settings),
    revision: 1,
    created_at: now,
    updated_at: now,
  };
  const revision: RevisionRow = {
    id: `${id}.1`,
    deployment_id: id,
    revision: 1,
    variants: JSON.stringify(storedVariants(variants)),
    salt: id,
    guardrails: null,
    created_at: now,
  };
  return { row, revision, settings, modelName: model.name };
}
