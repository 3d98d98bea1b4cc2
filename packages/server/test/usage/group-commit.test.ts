import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/usage/ledger/group-commit.js';

describe('group commit', () => {
  it('commits items added while a batch is written together in the next batch', async () => {
    const batches: number[][] = [];
    const commits = new GroupCommit<number>(async (batch) => {
      batches.push([...batch]);
      await new Promise((r) => setTimeout(r, 20));
    });
    const first = commits.add(0);
    const rest = Array.from({ length: 50 }, (_, i) => commits.add(i + 1));
    await Promise.all([first, ...rest]);
    expect(batches[0]).toEqual([0]);
    expect(batches.flat()).toEqual(Array.from({ length: 51 }, (_, i) => i));
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(commits.committedItems).toBe(51);
  });

  it('resolves an item only after its batch committed, retrying a failed batch', async () => {
    let failures = 2;
    const committed: number[] = [];
    const commits = new GroupCommit<number>(
      async (batch) => {
        if (failures-- > 0) throw new Error('disk away');
        committed.push(...batch);
      },
      { retryDelayMs: 5 },
    );
    let resolved = false;
    const done = commits.add(7).then(() => {
      resolved = true;
    });
    await new Promise((r) => setTimeout(r, 2));
    expect(resolved).toBe(false);
    expect(commits.backlog).toBe(1);
    await done;
    expect(committed).toEqual([7]);
    expect(commits.backlog).toBe(0);
  });

  it('splits a backlog into batches of at most maxBatch and commits all of it before close returns', async () => {
    const sizes: number[] = [];
    const commits = new GroupCommit<number>(
      async (batch) => {
        sizes.push(batch.length);
        await new Promise((r) => setTimeout(r, 1));
      },
      { maxBatch: 10 },
    );
    const all = Array.from({ length: 35 }, (_, i) => commits.add(i));
    await commits.close();
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(35);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
    await Promise.all(all);
    await expect(commits.add(1)).rejects.toThrow(/closed/);
  });
});
