import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** A file path, a Node stream, a web stream, or bytes already in memory. */
export type UploadSource = string | Readable | ReadableStream<Uint8Array> | Uint8Array;

export interface OpenedSource {
  chunks: AsyncIterable<unknown> | Iterable<unknown>;
  /** Known for files and bytes; for streams only when the caller says (`size`). */
  totalBytes: number | undefined;
}

const SLICE_BYTES = 64 * 1024;

/** Turns any source into chunks read on demand, so a file is never loaded whole. */
export async function openUploadSource(source: UploadSource, size?: number): Promise<OpenedSource> {
  if (typeof source === 'string') {
    const info = await stat(source);
    if (!info.isFile()) throw new Error(`${source} is not a file`);
    return { chunks: readFileLazily(source), totalBytes: info.size };
  }
  if (source instanceof Uint8Array) return { chunks: slices(source), totalBytes: source.byteLength };
  if (source instanceof ReadableStream) return { chunks: readWebStream(source), totalBytes: size };
  return { chunks: source, totalBytes: size };
}

/** Opens the file only when the first chunk is pulled, so a request that never starts leaks no descriptor. */
async function* readFileLazily(file: string): AsyncGenerator<unknown> {
  yield* createReadStream(file);
}

function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += SLICE_BYTES) yield bytes.subarray(at, at + SLICE_BYTES);
}

async function* readWebStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
