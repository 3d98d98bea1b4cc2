import type { Tensor } from '../tensor.js';
import { sliceBinarySection } from './binary-section.js';
import { tensorError } from './codec-errors.js';
import { isNested, jsonDataRows } from './json-data-rows.js';
import { jsonToTensorData } from './json-to-tensor-data.js';
import type { SplitBody } from './read-json-header.js';
import { bytesToTensorData } from './tensor-bytes.js';
import { readTensorHeader, type TensorHeader, type TensorLimits } from './tensor-header.js';

/** Validates and decodes a JSON list of tensors (`inputs` or `outputs`), JSON or binary data. */
export function decodeTensors(
  list: readonly unknown[],
  key: 'inputs' | 'outputs',
  split: SplitBody,
  limits: TensorLimits,
): Tensor[] {
  const role = key === 'inputs' ? 'Input' : 'Output';
  const headers = list.map((raw, i) => readTensorHeader(raw, `${key}[${i}]`, role, limits));
  assertUniqueNames(headers);
  const slices = sliceBinarySection(headers, split.binary, split.hasBinaryExtension);
  return headers.map((header, i) => {
    const slice = slices[i];
    const data =
      slice === undefined
        ? jsonTensorData(header, split.exact)
        : bytesToTensorData(header.datatype, slice, header.count, header.label);
    return { name: header.name, datatype: header.datatype, shape: header.shape, data } as Tensor;
  });
}

/** One structural check of the nesting, then one typed loop over the elements. */
function jsonTensorData(header: TensorHeader, exact: boolean) {
  const place = { label: header.label, param: `${header.param}.data`, shape: header.shape };
  const rows = jsonDataRows(header.data, header.count, place);
  const nested = Array.isArray(header.data) && isNested(header.data, header.shape);
  return jsonToTensorData(header.datatype, rows, header.count, { ...place, exact, nested });
}

function assertUniqueNames(headers: readonly TensorHeader[]): void {
  const seen = new Set<string>();
  for (const header of headers) {
    if (seen.has(header.name))
      throw tensorError(`${header.label} appears more than once.`, `${header.param}.name`);
    seen.add(header.name);
  }
}
