import { type ReplyFrameMeta, SHARED_MEMORY_MIN_BYTES, sharedMemoryHeaders } from '../wire/runner/index.js';
import type { FrameClient } from './frame-client.js';
import type { RunnerReply, TensorRequest } from './runner-host.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';
import { withOutputBytes } from './tensor-transport.js';

/** Room for the runner's own 504 before the connection gives up on a request. */
const DEADLINE_MARGIN_MS = 5_000;

/**
 * One binary OIP request as an infer frame. A binary section of 64 KiB or more is written once
 * into a shared-memory slot and only the JSON header travels in the frame; the runner answers
 * large outputs the same way. The reply looks like the HTTP one (status, the same headers, whole
 * binary OIP), so callers do not know which path it took.
 */
export async function sendFramedTensors(
  frames: FrameClient,
  slots: SharedMemorySlots | undefined,
  request: TensorRequest,
): Promise<RunnerReply> {
  const { body, headerLength } = request;
  const binaryBytes = body.length - headerLength;
  let slot = binaryBytes >= SHARED_MEMORY_MIN_BYTES ? slots?.acquire() : undefined;
  if (slot && slots) {
    try {
      slot.write(body.subarray(headerLength));
      slots.bytes.toRunners += binaryBytes;
    } catch {
      // /dev/shm is full (a small tmpfs in a container): this request goes in the frame.
      slots.discard(slot);
      slot = undefined;
    }
  }
  const meta = {
    timeoutMs: request.timeoutMs,
    headerLength,
    ...(slot ? { region: slot.ref, inputBytes: binaryBytes } : {}),
  };
  let frame: Awaited<ReturnType<FrameClient['infer']>>;
  try {
    frame = await frames.infer(meta, [slot ? body.subarray(0, headerLength) : body], {
      timeoutMs: request.timeoutMs + DEADLINE_MARGIN_MS,
      signal: request.signal,
      alignAfter: headerLength,
    });
  } catch (err) {
    // No answer: the runner may still be working on the slot, so it is never handed out again.
    if (slot) slots?.discard(slot);
    throw err;
  }
  const reply = replyOf(frame.meta as unknown as ReplyFrameMeta, frame.payload);
  if (!slot || !slots) return reply;
  try {
    return withOutputBytes(reply, slot, slots);
  } finally {
    slots.release(slot);
  }
}

function replyOf(meta: ReplyFrameMeta, payload: Buffer): RunnerReply {
  const headers: RunnerReply['headers'] = {};
  if (meta.headerLength !== undefined) headers['inference-header-content-length'] = String(meta.headerLength);
  if (meta.outputBytes !== undefined) headers[sharedMemoryHeaders.outputBytes] = String(meta.outputBytes);
  if (meta.queueMs !== undefined) headers['x-queue-ms'] = String(meta.queueMs);
  if (meta.computeMs !== undefined) headers['x-compute-ms'] = String(meta.computeMs);
  if (meta.batchSize !== undefined) headers['x-batch-size'] = String(meta.batchSize);
  if (meta.batchRequests !== undefined) headers['x-batch-requests'] = String(meta.batchRequests);
  return { status: meta.status, headers, body: payload };
}
