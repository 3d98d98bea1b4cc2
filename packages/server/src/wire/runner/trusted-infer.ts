import { bytesToTensorData } from '../oip/index.js';
import type { InferRequest, Tensor } from '../tensor.js';

export interface TrustedInfer {
  id?: string;
  request: InferRequest;
}

interface HeaderTensor {
  name: string;
  datatype: Tensor['datatype'];
  shape: number[];
  parameters?: { binary_data_size?: number };
}

/**
 * Binary OIP from this runner's own API process, which has validated it against the model's
 * metadata: the header is parsed without a schema pass and every tensor is a view of `section`
 * (copied only when unaligned). Undefined when an input carries JSON data (the caller then uses
 * the full parser).
 */
export function decodeTrustedInfer(header: Buffer, section: Buffer): TrustedInfer | undefined {
  const root = JSON.parse(header.toString('utf8')) as {
    id?: string;
    inputs: HeaderTensor[];
    outputs?: { name: string }[];
  };
  const inputs: Tensor[] = [];
  let at = 0;
  for (const input of root.inputs) {
    const size = input.parameters?.binary_data_size;
    if (size === undefined) return undefined;
    let count = 1;
    for (const d of input.shape) count *= d;
    const bytes = section.subarray(at, at + size);
    at += size;
    const data = bytesToTensorData(input.datatype, bytes, count, `Input '${input.name}'`);
    inputs.push({ name: input.name, datatype: input.datatype, shape: input.shape, data } as Tensor);
  }
  const outputs = root.outputs?.map((o) => o.name);
  return {
    ...(root.id === undefined ? {} : { id: root.id }),
    request: { inputs, ...(outputs ? { outputs } : {}) },
  };
}
