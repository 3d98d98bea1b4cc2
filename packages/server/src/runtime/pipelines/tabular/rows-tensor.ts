import { AppError } from '../../../platform/errors/index.js';
import type { Tensor } from '../../../wire/index.js';

/** Larger magnitudes are finite in JavaScript but become infinity as FP32. */
const FP32_MAX = 3.4028234663852886e38;

function badRow(message: string, param: string): AppError {
  return new AppError('validation_failed', message, { param });
}

/**
 * Rows of named values as FP32 [rows, features], columns in the config's feature order. Every
 * feature must be present and finite, and no other field may appear: a misspelt name would
 * otherwise leave its column missing.
 */
export function rowsTensor(
  rows: readonly Record<string, unknown>[],
  features: readonly string[],
  name: string,
): Tensor<'FP32'> {
  const known = new Set(features);
  const data = new Float32Array(rows.length * features.length);
  rows.forEach((row, r) => {
    for (const field of Object.keys(row)) {
      if (!known.has(field))
        throw badRow(
          `rows[${r}] has an unknown field '${field}'; the model takes ${features.join(', ')}.`,
          `rows.${r}.${field}`,
        );
    }
    features.forEach((field, f) => {
      // Own properties only, so a feature named like an Object method is not found on the prototype.
      if (!Object.hasOwn(row, field))
        throw badRow(`rows[${r}] lacks the field '${field}'.`, `rows.${r}.${field}`);
      const value = row[field];
      if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > FP32_MAX)
        throw badRow(
          `rows[${r}].${field} must be a finite number (within FP32 range).`,
          `rows.${r}.${field}`,
        );
      data[r * features.length + f] = value;
    });
  });
  return { name, datatype: 'FP32', shape: [rows.length, features.length], data };
}
