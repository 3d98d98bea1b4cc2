import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failingModelBytes, healthyModelBytes, slowModelBytes } from './support/misbehaving-models.js';
import { ort, ortSession } from './support/ort-session.js';

const rows = [
  [1, 2, 3, 4],
  [-1, 0, 0.5, 8],
];
const x = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 4]);
const plusOne = rows.flat().map((v) => v + 1);

async function outputOf(
  session: ort.InferenceSession,
  input = x,
): Promise<{ dims: readonly number[]; values: number[] }> {
  const { y } = await session.run({ x: input });
  if (!y) throw new Error('no output y');
  return { dims: y.dims, values: Array.from(y.data as Float32Array) };
}

/** Median wall time of `runs` runs, after one warm-up run. */
async function medianMs(session: ort.InferenceSession, runs = 5): Promise<number> {
  await session.run({ x });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await session.run({ x });
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? Number.NaN;
}

describe('misbehaving versions of one model (x float32 [-1, 4] → y)', () => {
  const sessions: ort.InferenceSession[] = [];
  let healthy: ort.InferenceSession;
  beforeAll(async () => {
    healthy = await ortSession(healthyModelBytes());
    sessions.push(healthy);
  });
  afterAll(async () => {
    for (const s of sessions) await s.release();
  });

  it('all three declare the same signature', async () => {
    for (const bytes of [healthyModelBytes(), failingModelBytes(), slowModelBytes(1)]) {
      const session = await ortSession(bytes);
      sessions.push(session);
      expect([session.inputNames, session.outputNames]).toEqual([['x'], ['y']]);
    }
  });

  it('the healthy one answers x + 1', async () => {
    expect(await outputOf(healthy)).toEqual({ dims: [2, 4], values: plusOne });
  });

  it('the failing one loads, then fails every run', async () => {
    const session = await ortSession(failingModelBytes());
    sessions.push(session);
    for (const n of [1, 2, 3]) {
      const input = new ort.Tensor('float32', new Float32Array(4 * n), [n, 4]);
      await expect(session.run({ x: input })).rejects.toThrow(/Range/);
    }
  });

  it('the slow one answers like the healthy one, at least 5× slower', async () => {
    const slow = await ortSession(slowModelBytes());
    sessions.push(slow);
    expect(await outputOf(slow)).toEqual({ dims: [2, 4], values: plusOne });
    const [fastMs, slowMs] = [await medianMs(healthy), await medianMs(slow)];
    expect(slowMs, `healthy ${fastMs.toFixed(3)} ms, slow ${slowMs.toFixed(1)} ms`).toBeGreaterThanOrEqual(
      5 * fastMs,
    );
  });
});
