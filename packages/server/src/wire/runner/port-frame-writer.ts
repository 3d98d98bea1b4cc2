/** Where a runner thread's frames go: a port's postMessage, the buffer transferred. */
export type PostFrames = (frames: ArrayBuffer) => void;

export interface PortFrameWriter {
  /** Queues a frame's parts; they leave at the end of this event-loop turn. */
  write(parts: Buffer[]): void;
  /** Posts what is queued now (before a control message that must follow the frames). */
  flush(): void;
}

/**
 * Frames to or from a runner thread, every frame written in one event-loop turn going out as one
 * message (one buffer, transferred): the requests of many HTTP connections read in the same turn,
 * and the replies of a batch, wake the other thread once instead of once each, as `frameWriter`
 * does for a socket. The reader takes a message as a chunk of the frame stream. A frame after the
 * first may start unaligned in the buffer; its tensors are then copied (small ones: large sections
 * go through shared memory).
 */
export function portFrameWriter(post: PostFrames): PortFrameWriter {
  let queued: Buffer[] = [];
  let bytes = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (queued.length === 0) return;
    const out = new Uint8Array(new ArrayBuffer(bytes));
    let at = 0;
    for (const part of queued) {
      out.set(part, at);
      at += part.length;
    }
    queued = [];
    bytes = 0;
    post(out.buffer);
  };
  return {
    write(parts) {
      for (const part of parts) {
        queued.push(part);
        bytes += part.length;
      }
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
