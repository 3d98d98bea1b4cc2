/** A tensor of the Open Inference Protocol's model metadata (`GET /v2/models/{name}`). */
export interface OipTensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

export interface OipMetadata {
  name: string;
  inputs: OipTensorMetadata[];
  outputs: OipTensorMetadata[];
}

/** Elements up to which the editor starts with zeros; a larger input starts empty (paste its data). */
export const PREFILL_LIMIT = 4096;

/**
 * A starting request for the model: each input with its shape (a variable dimension taken as 1)
 * and zeros (false, or "" for BYTES) as data, when it is small enough to edit by hand.
 */
export function starterRequest(meta: OipMetadata): { inputs: unknown[] } {
  return {
    inputs: meta.inputs.map((t) => {
      const shape = t.shape.map((d) => (d < 0 ? 1 : d));
      const size = shape.reduce((a, b) => a * b, 1);
      const zero = t.datatype === 'BOOL' ? false : t.datatype === 'BYTES' ? '' : 0;
      return {
        name: t.name,
        shape,
        datatype: t.datatype,
        data: size <= PREFILL_LIMIT ? new Array(size).fill(zero) : [],
      };
    }),
  };
}
