import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/usage/ledger/group-commit.js';

describe('group commit', () => {
  it('commits items added in one turn together, and those added while a batch is written in the next', async () => {
    const batches: number[][] = [];
    const commits = new GroupCommit<number>(async (batch) => {
      batches.push([...batch]);
      await new Promise((r) => setTimeout(r, 20));
    });
    const sameTurn = Array.from({ length: 8 }, (_, i) => commits.add(i));
    await new Promise((r) => setTimeout(r, 5));
    const whileWriting = Array.from({ length: 43 }, (_, i) => commits.add(i + 8));
    await Promise.all([...sameTurn, ...whileWriting]);
    expect(batches[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(batches.flat()).toEqual(Array.from({ length: 51 }, (_, i) => i));
    expect(batches.length).toBe(2);
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
