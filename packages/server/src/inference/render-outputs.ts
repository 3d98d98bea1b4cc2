import { type ParsedInferRequest, type RenderedInferBody, renderInferResponse } from '../wire/oip/index.js';
import type { ForwardResult } from './forward-infer.js';

/**
 * The caller's answer in the form it asked for. When every output is wanted binary, the runner's
 * answer (all binary, same model, version and id) goes out as it came, without decoding.
 */
export function renderOutputs(
  parsed: ParsedInferRequest,
  result: ForwardResult,
  model: { name: string; version: string },
): RenderedInferBody {
  if (wantsAllBinary(parsed)) {
    return { body: result.body, headerLength: result.headerLength, contentType: 'application/octet-stream' };
  }
  return renderInferResponse({
    modelName: model.name,
    modelVersion: model.version,
    ...(parsed.id === undefined ? {} : { id: parsed.id }),
    outputs: result.outputs(),
    binaryOutputs: binaryOutputNames(parsed),
  });
}

function wantsAllBinary(parsed: ParsedInferRequest): boolean {
  return parsed.outputs ? parsed.outputs.every((o) => o.binary) : parsed.binaryOutputDefault;
}

/** Outputs the caller asked for as binary; with no list, the request-level default decides. */
function binaryOutputNames(parsed: ParsedInferRequest): ReadonlySet<string> | 'all' | 'none' {
  if (!parsed.outputs) return parsed.binaryOutputDefault ? 'all' : 'none';
  return new Set(parsed.outputs.filter((o) => o.binary).map((o) => o.name));
}
