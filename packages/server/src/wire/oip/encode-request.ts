import type { Tensor } from '../tensor.js';
import { frameBody } from './frame-body.js';
import { assertDataMatchesShape, tensorToBytes } from './tensor-bytes.js';
import { tensorJsonText } from './tensor-json-text.js';

export interface InferRequestToEncode {
  id?: string;
  inputs: Tensor[];
  /** Output names to return; absent means all. */
  outputs?: string[];
}

export interface EncodedInferRequest {
  body: Buffer;
  /** Bytes of the JSON part, for `Inference-Header-Content-Length`. */
  headerLength: number;
}

/**
 * Writes an OIP v2 request with every input in the binary section and every output requested
 * binary, so tensors cross the runner protocol without a JSON round-trip.
 */
export function encodeInferRequest(
  request: InferRequestToEncode,
  _options: { binary: true },
): EncodedInferRequest {
  const chunks: Buffer[] = [];
  const inputs = request.inputs.map((tensor) => {
    assertDataMatchesShape(tensor, `Input '${tensor.name}'`);
    const bytes = tensorToBytes(tensor);
    chunks.push(bytes);
    return tensorJsonText(tensor, `"parameters":{"binary_data_size":${bytes.length}}`);
  });
  const fields: string[] = [];
  if (request.id !== undefined) fields.push(`"id":${JSON.stringify(request.id)}`);
  fields.push('"parameters":{"binary_data_output":true}', `"inputs":[${inputs.join(',')}]`);
  if (request.outputs !== undefined) {
    const outputs = request.outputs.map(
      (name) => `{"name":${JSON.stringify(name)},"parameters":{"binary_data":true}}`,
    );
    fields.push(`"outputs":[${outputs.join(',')}]`);
  }
  const framed = frameBody(`{${fields.join(',')}}`, chunks);
  return { body: framed.body, headerLength: framed.headerLength ?? framed.body.length };
}
