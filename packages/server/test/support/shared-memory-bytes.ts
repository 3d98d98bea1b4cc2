import type { TestServer } from './test-server.js';

/** Tensor bytes the server passed to and from its runners through shared memory (its /metrics). */
export async function sharedMemoryBytes(t: TestServer): Promise<{ to: number; from: number }> {
  const text = await (await t.fetch('/metrics')).text();
  const value = (direction: string) => {
    const re = new RegExp(
      `^modelport_runner_shared_memory_bytes_total\\{direction="${direction}"\\} (\\S+)$`,
      'm',
    );
    return Number(re.exec(text)?.[1] ?? Number.NaN);
  };
  return { to: value('to_runner'), from: value('from_runner') };
}
