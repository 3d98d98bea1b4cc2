/**
 * Buffers nothing else will read once their request has run: a frame transferred from the API
 * process, a shared-memory read, a batch's merged inputs. The session thread takes these over
 * (transferred, not copied); any other tensor data is copied first, since a caller may still hold
 * the memory it views (a pooled Buffer, a body that is answered as it came).
 */
const handedOver = new WeakSet<ArrayBufferLike>();

export function handOver(buffer: ArrayBufferLike): void {
  handedOver.add(buffer);
}

export function isHandedOver(buffer: ArrayBufferLike): boolean {
  return handedOver.has(buffer);
}
