import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { create as createTar } from 'tar';

/**
 * Packs the pulled files into an uncompressed tar (what a folder upload is), hashing it as it is
 * written. Same files, same bytes: a fixed order, no owners, and one fixed modification time.
 */
export async function tarFolder(
  folder: string,
  files: readonly string[],
  dest: string,
): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const out = await open(dest, 'w');
  try {
    const pack = createTar({ cwd: folder, portable: true, mtime: new Date(0) }, [...files].sort());
    for await (const chunk of pack as AsyncIterable<Buffer>) {
      await out.write(chunk);
      hash.update(chunk);
      sizeBytes += chunk.length;
    }
  } finally {
    await out.close();
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
