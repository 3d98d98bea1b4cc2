import { once } from 'node:events';
import { createReadStream, type ReadStream } from 'node:fs';

/** A file's bytes as a stream, once the file is open: a missing file rejects here, before a reply has started. */
export async function openReadStream(file: string): Promise<ReadStream> {
  const stream = createReadStream(file);
  await once(stream, 'open');
  return stream;
}
