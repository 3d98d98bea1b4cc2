import { toAppError } from '../../platform/errors/index.js';
import { parseInferRequest, renderInferResponse } from '../../wire/oip/index.js';
import {
  decodeTrustedInfer,
  type InferFrameMeta,
  type ReplyFrameMeta,
  SHARED_MEMORY_MIN_BYTES,
} from '../../wire/runner/index.js';
import type { RunnerServerSpec } from './runner-server-spec.js';
import type { ServedModel } from './served-model.js';
import type { SharedMemoryRegions } from './shared-memory-regions.js';

export interface FramedReply {
  meta: ReplyFrameMeta;
  payload: Buffer[];
}

/** Answers one infer frame; never throws (an error is a reply with its status). */
export type FramedInferHandler = (
  meta: InferFrameMeta,
  payload: Buffer,
  signal: AbortSignal,
) => Promise<FramedReply>;

/**
 * Tensor inference for frames from this runner's own API process, which validated the request
 * against the model's metadata: no schema pass here (the HTTP route keeps its own, for remote
 * callers), tensors are views of the frame or of the shared-memory read.
 */
export function framedInfer(
  spec: RunnerServerSpec,
  model: ServedModel,
  regions: SharedMemoryRegions | undefined,
): FramedInferHandler {
  return async (meta, payload, signal) => {
    let read: Buffer | undefined;
    try {
      const { headerLength, region, inputBytes } = meta;
      const header = payload.subarray(0, headerLength);
      const fromRegion = region !== undefined && inputBytes !== undefined && regions !== undefined;
      if (fromRegion) read = regions.read(region, inputBytes);
      const section = read ?? payload.subarray(headerLength);
      const decoded =
        decodeTrustedInfer(header, section) ??
        trustedFallback(payload, headerLength, fromRegion ? section : undefined);
      const result = await model.infer(decoded.request, { signal, timeoutMs: meta.timeoutMs });
      const rendered = renderInferResponse({
        modelName: spec.modelName,
        modelVersion: spec.modelVersion,
        ...(decoded.id === undefined ? {} : { id: decoded.id }),
        outputs: result.outputs,
        binaryOutputs: 'all',
      });
      const replyHeaderLength = rendered.headerLength ?? rendered.body.length;
      const replyMeta: ReplyFrameMeta = {
        status: 200,
        headerLength: replyHeaderLength,
        queueMs: result.queueMs,
        computeMs: result.computeMs,
        batchSize: result.batchSize,
        batchRequests: result.batchRequests,
      };
      const outputBytes = rendered.body.length - replyHeaderLength;
      if (region && regions && outputBytes >= SHARED_MEMORY_MIN_BYTES) {
        try {
          regions.write(region, rendered.body.subarray(replyHeaderLength));
          return {
            meta: { ...replyMeta, outputBytes },
            payload: [rendered.body.subarray(0, replyHeaderLength)],
          };
        } catch {
          // A full /dev/shm leaves the answer to the frame.
        }
      }
      return { meta: replyMeta, payload: [rendered.body] };
    } catch (err) {
      return errorReply(err, signal);
    } finally {
      // The reply holds its own copy of the outputs and the run is over (runs are synchronous on
      // this thread, and a batch copied its rows in when it formed); only a request answered at
      // its deadline before its run started could see its own, already failed, run read new bytes.
      if (read) regions?.recycle(read);
    }
  };
}

/** A request with JSON data among binary inputs goes through the full parser, once. */
function trustedFallback(payload: Buffer, headerLength: number, section: Buffer | undefined) {
  const parsed = parseInferRequest(payload, headerLength, {}, section);
  const outputs = parsed.outputs?.map((o) => o.name);
  return {
    ...(parsed.id === undefined ? {} : { id: parsed.id }),
    request: { inputs: parsed.inputs, ...(outputs ? { outputs } : {}) },
  };
}

function errorReply(err: unknown, signal: AbortSignal): FramedReply {
  const appErr = toAppError(err);
  // Refusals (queue full, deadline) are expected; faults are traced unless the caller already left.
  if (appErr.status >= 500 && appErr.code !== 'queue_full' && !signal.aborted) {
    process.stderr.write(`runner: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  const body = { error: appErr.message, code: appErr.code, ...(appErr.param ? { param: appErr.param } : {}) };
  return { meta: { status: appErr.status }, payload: [Buffer.from(JSON.stringify(body))] };
}
