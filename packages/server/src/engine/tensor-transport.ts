import { SHARED_MEMORY_MIN_BYTES, sharedMemoryHeaders } from '../wire/runner/index.js';
import type { RunnerConnection, RunnerReply, TensorRequest } from './runner-host.js';
import type { SharedMemorySlot, SharedMemorySlots } from './shared-memory-slots.js';

/**
 * Sends one binary OIP request to a runner. With shared memory, a large binary section is written
 * to a slot and only the JSON header crosses the socket; the runner answers large outputs the same
 * way. The reply is always whole binary OIP, as if it had come through the socket.
 */
export async function sendTensors(
  client: Pick<RunnerConnection, 'request'>,
  slots: SharedMemorySlots | undefined,
  path: string,
  request: TensorRequest,
): Promise<RunnerReply> {
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    'inference-header-content-length': String(request.headerLength),
    'x-timeout-ms': String(request.timeoutMs),
  };
  let slot = slots?.acquire();
  let body = request.body;
  if (slot && slots) {
    const binaryBytes = body.length - request.headerLength;
    try {
      if (binaryBytes >= SHARED_MEMORY_MIN_BYTES) slot.write(body.subarray(request.headerLength));
    } catch {
      // /dev/shm is full (a small tmpfs in a container): this request goes through the socket.
      slots.discard(slot);
      slot = undefined;
    }
    if (slot) {
      headers[sharedMemoryHeaders.region] = slot.ref;
      if (binaryBytes >= SHARED_MEMORY_MIN_BYTES) {
        slots.bytes.toRunners += binaryBytes;
        headers[sharedMemoryHeaders.inputBytes] = String(binaryBytes);
        body = body.subarray(0, request.headerLength);
      }
    }
  }
  let reply: RunnerReply;
  try {
    reply = await client.request('POST', path, {
      body,
      headers,
      timeoutMs: request.timeoutMs + 5_000,
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (err) {
    // No answer: the runner may still be working on the slot, so it is never handed out again.
    if (slot) slots?.discard(slot);
    throw err;
  }
  if (!slot || !slots) return reply;
  try {
    return withOutputBytes(reply, slot, slots);
  } finally {
    slots.release(slot);
  }
}

/** The reply with its binary section read back from the slot, when the runner put it there. */
export function withOutputBytes(
  reply: RunnerReply,
  slot: SharedMemorySlot,
  slots: SharedMemorySlots,
): RunnerReply {
  const header = reply.headers[sharedMemoryHeaders.outputBytes];
  if (typeof header !== 'string') return reply;
  const length = Number(header);
  const whole = Buffer.allocUnsafe(reply.body.length + length);
  reply.body.copy(whole, 0);
  slot.readInto(whole, reply.body.length, length);
  slots.bytes.fromRunners += length;
  return { ...reply, body: whole };
}
