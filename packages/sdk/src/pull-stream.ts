/**
 * A pull-based web stream over `parts`: fetch asks for the next chunk only once it sent the previous
 * one, so memory stays at about one chunk whatever the artifact size.
 */
export function pullStream(
  parts: Iterable<Uint8Array | AsyncIterable<Uint8Array>>,
  onChunk: (bytes: number) => void,
): ReadableStream<Uint8Array> {
  const iterator = flatten(parts)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      onChunk(next.value.byteLength);
      controller.enqueue(next.value);
    },
    async cancel() {
      // Closes the underlying file when fetch gives up on the body (abort, early error response).
      await iterator.return?.(undefined);
    },
  });
}

/** Counts the bytes of `chunks` as they are pulled, for progress reporting. */
export async function* counted(
  chunks: AsyncIterable<unknown> | Iterable<unknown>,
  onBytes: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    const bytes = toUint8Array(chunk);
    onBytes(bytes.byteLength);
    yield bytes;
  }
}

async function* flatten(parts: Iterable<Uint8Array | AsyncIterable<Uint8Array>>): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    if (part instanceof Uint8Array) yield part;
    else yield* part;
  }
}

function toUint8Array(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new TypeError('Upload streams must yield bytes (Buffer or Uint8Array).');
}
