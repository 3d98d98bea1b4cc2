import type { Tensor } from '../tensor.js';
import { frameBody, type RenderedInferBody } from './frame-body.js';
import type { ParameterValue } from './parse-request.js';
import { assertDataMatchesShape, tensorToBytes } from './tensor-bytes.js';
import { tensorDataJsonText, tensorJsonText } from './tensor-json-text.js';

export type { RenderedInferBody };

export interface InferResponseToRender {
  modelName: string;
  modelVersion?: string;
  id?: string;
  parameters?: Record<string, ParameterValue>;
  outputs: Tensor[];
  /** Outputs whose data goes after the JSON header (binary tensor extension) instead of into it. */
  binaryOutputs: ReadonlySet<string> | 'all' | 'none';
}

/** Writes an OIP v2 inference response; INT64/UINT64 values keep every digit. */
export function renderInferResponse(response: InferResponseToRender): RenderedInferBody {
  const { binaryOutputs } = response;
  const isBinary = (name: string) =>
    binaryOutputs === 'all' || (binaryOutputs !== 'none' && binaryOutputs.has(name));
  const chunks: Buffer[] = [];
  const outputs = response.outputs.map((tensor) => {
    const label = `Output '${tensor.name}'`;
    assertDataMatchesShape(tensor, label);
    if (!isBinary(tensor.name)) return tensorJsonText(tensor, `"data":${tensorDataJsonText(tensor, label)}`);
    const bytes = tensorToBytes(tensor);
    chunks.push(bytes);
    return tensorJsonText(tensor, `"parameters":{"binary_data_size":${bytes.length}}`);
  });
  const fields = [`"model_name":${JSON.stringify(response.modelName)}`];
  if (response.modelVersion !== undefined)
    fields.push(`"model_version":${JSON.stringify(response.modelVersion)}`);
  if (response.id !== undefined) fields.push(`"id":${JSON.stringify(response.id)}`);
  if (response.parameters !== undefined) fields.push(`"parameters":${JSON.stringify(response.parameters)}`);
  fields.push(`"outputs":[${outputs.join(',')}]`);
  return frameBody(`{${fields.join(',')}}`, chunks);
}
