import type { Variant } from '@modelport/contracts';
import { formatTable } from './format-table.js';

/** The variants of a revision: each production variant's share of the traffic, each shadow's sample. */
export function formatVariants(variants: readonly Variant[]): string {
  const total = variants.filter((v) => v.role === 'production').reduce((sum, v) => sum + v.weight, 0);
  const rows = variants.map((v) => [
    v.variantName,
    String(v.modelVersion),
    v.role,
    String(v.weight),
    v.role === 'production' ? formatShare(total === 0 ? 0 : (100 * v.weight) / total) : '-',
    v.samplingPercent === null ? '-' : formatShare(v.samplingPercent),
    String(v.instances),
  ]);
  return formatTable(['VARIANT', 'VERSION', 'ROLE', 'WEIGHT', 'TRAFFIC', 'SAMPLED', 'INSTANCES'], rows);
}

/** `Canary v2 ×1 w10` per variant, for one-line summaries. */
export function summarizeVariants(variants: readonly Variant[]): string {
  return variants
    .map(
      (v) =>
        `${v.variantName} v${v.modelVersion} ×${v.instances} w${v.weight}${v.role === 'shadow' ? ' shadow' : ''}`,
    )
    .join(', ');
}

/** 12.345 → "12.35%", 10 → "10%". */
export function formatShare(percent: number): string {
  return `${Math.round(percent * 100) / 100}%`;
}
