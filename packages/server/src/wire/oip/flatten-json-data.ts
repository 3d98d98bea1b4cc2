import { describeValue, tensorError } from './codec-errors.js';

/**
 * The row-major elements of JSON tensor data given flat (`[1,2,3,4]`) or nested exactly as the
 * shape says (`[[1,2],[3,4]]`). Flat data is returned as is, without a copy.
 */
export function flattenJsonData(
  data: unknown,
  shape: readonly number[],
  count: number,
  label: string,
  param: string,
): unknown[] {
  if (!Array.isArray(data))
    throw tensorError(`${label}: data must be an array, got ${describeValue(data)}.`, param);
  const nested = shape.length > 1 && data.length > 0 && Array.isArray(data[0]);
  if (!nested) {
    if (data.length !== count)
      throw tensorError(
        `${label}: shape [${shape.join(',')}] needs ${count} elements, data has ${data.length}.`,
        param,
      );
    return data;
  }
  const out: unknown[] = [];
  collect(data, 0, shape, out, { label, param, path: 'data' });
  return out;
}

interface Where {
  label: string;
  param: string;
  path: string;
}

function collect(
  level: unknown,
  depth: number,
  shape: readonly number[],
  out: unknown[],
  where: Where,
): void {
  const dim = shape[depth] ?? 0;
  if (!Array.isArray(level) || level.length !== dim)
    throw tensorError(
      `${where.label}: ${where.path} should be an array of ${dim} to match shape [${shape.join(',')}], ` +
        `got ${Array.isArray(level) ? `${level.length} elements` : describeValue(level)}.`,
      where.param,
    );
  if (depth === shape.length - 1) {
    for (const item of level) {
      if (Array.isArray(item))
        throw tensorError(
          `${where.label}: ${where.path} nests deeper than shape [${shape.join(',')}].`,
          where.param,
        );
      out.push(item);
    }
    return;
  }
  level.forEach((child: unknown, i) => {
    collect(child, depth + 1, shape, out, { ...where, path: `${where.path}[${i}]` });
  });
}
