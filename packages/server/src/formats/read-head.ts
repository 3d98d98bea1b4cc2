import { open } from 'node:fs/promises';
import { SNIFF_BYTES } from './sniff.js';

/** The first `bytes` of a file (fewer when it is shorter): what format detection looks at. */
export async function readHead(filePath: string, bytes = SNIFF_BYTES): Promise<Buffer> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
