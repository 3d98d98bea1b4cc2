import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { train } from '../src/trainer/index.js';
import type { TrainingEpoch, TrainingResult } from '../src/wire/training/index.js';
import { irisRecords } from './support/datasets.js';
import { expectAppError } from './support/expect-app-error.js';
import { tableFrame } from './support/table-frame.js';
import { useTempDir } from './support/temp-dir.js';

/** Early stopping, cancel, time budget, checkpoints and resume, on iris (seconds on one core). */
const tempDir = useTempDir('trainer-loop');
const iris = tableFrame(irisRecords());

const base = {
  datasetId: 'iris',
  target: 'species',
  model: {
    layers: [
      { type: 'dense', units: 16, activation: 'relu', l2: 0.001 },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  },
  optimizer: { type: 'adam', learningRate: 0.02 },
  batchSize: 16,
  seed: 11,
} as const;

const floats = (result: TrainingResult) => new Float32Array(result.model.weightData);

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/** Mean cross-entropy of the returned validation predictions, computed here from the raw labels. */
function validationLoss(result: TrainingResult): number {
  const classes = result.preprocessing.classes ?? [];
  const species = iris.columns.find((c) => c.name === 'species')?.values ?? [];
  const { rows, outputs } = result.validation;
  const total = rows.reduce((sum, row, i) => {
    const label = classes.indexOf(String(species[row]));
    return sum - Math.log(Math.max(outputs[i * classes.length + label] as number, 1e-7));
  }, 0);
  return total / rows.length;
}

describe('training loop', () => {
  it('gives the same weights for the same seed', async () => {
    const a = await train({ ...base, epochs: 3 }, iris);
    const b = await train({ ...base, epochs: 3 }, iris);
    const c = await train({ ...base, epochs: 3, seed: 12 }, iris);
    expect(maxDifference(floats(a), floats(b))).toBe(0);
    expect(maxDifference(floats(a), floats(c))).toBeGreaterThan(0);
  });

  it('early stopping stops after `patience` epochs without progress and restores the best weights', async () => {
    const result = await train(
      {
        ...base,
        epochs: 200,
        optimizer: { type: 'adam', learningRate: 0.05 },
        earlyStopping: { patience: 3, minDelta: 0.01 },
      },
      iris,
    );
    expect(result.stoppedBy).toBe('early_stopping');
    expect(result.history.length).toBeLessThan(200);
    expect(result.history.length).toBe(result.bestEpoch + 3);
    const best = result.history[result.bestEpoch - 1] as TrainingEpoch;
    const last = result.history.at(-1) as TrainingEpoch;
    for (const later of result.history.slice(result.bestEpoch))
      expect(later.valLoss).toBeGreaterThan((best.valLoss as number) - 0.01);
    // The returned model is the best epoch's: its validation loss is that epoch's, not the last one's.
    // (Keras reports the loss with the L2 penalty; this computes the bare cross-entropy: a small gap.)
    expect(Math.abs(validationLoss(result) - (best.valLoss as number))).toBeLessThan(0.01);
    expect(Math.abs(validationLoss(result) - (last.valLoss as number))).toBeGreaterThan(0.001);
  });

  it('cancels between batches and keeps the checkpoint of the last complete epoch', async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const seen: number[] = [];
    await expectAppError(
      train({ ...base, epochs: 10 }, iris, {
        checkpointDir: dir,
        signal: controller.signal,
        onEpoch: (e) => {
          seen.push(e.epoch);
          if (e.epoch === 2) controller.abort();
        },
      }),
      'training_cancelled',
    );
    expect(seen).toEqual([1, 2]);
    expect(await readdir(dir)).toEqual(['checkpoint.bin']);
  });

  it('a resumed run continues at the next epoch and ends like the uninterrupted one', async () => {
    const spec = { ...base, epochs: 6, earlyStopping: { patience: 50 } };
    const whole = await train(spec, iris, { checkpointDir: await tempDir() });

    const dir = await tempDir();
    const controller = new AbortController();
    await expectAppError(
      train(spec, iris, {
        checkpointDir: dir,
        signal: controller.signal,
        onEpoch: (e) => e.epoch === 3 && controller.abort(),
      }),
      'training_cancelled',
    );
    const resumedEpochs: number[] = [];
    const resumed = await train(spec, iris, {
      checkpointDir: dir,
      resumeFrom: dir,
      onEpoch: (e) => resumedEpochs.push(e.epoch),
    });

    expect(resumedEpochs).toEqual([4, 5, 6]);
    expect(resumed.history.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const [i, epoch] of resumed.history.entries()) {
      const same = whole.history[i] as TrainingEpoch;
      expect(Math.abs(epoch.trainLoss - same.trainLoss)).toBeLessThan(1e-5);
      expect(Math.abs((epoch.valLoss as number) - (same.valLoss as number))).toBeLessThan(1e-5);
    }
    expect(resumed.bestEpoch).toBe(whole.bestEpoch);
    expect(maxDifference(floats(resumed), floats(whole))).toBeLessThan(1e-5);
    expect(maxDifference(resumed.validation.outputs, whole.validation.outputs)).toBeLessThan(1e-5);
  });

  it('refuses a checkpoint of another job', async () => {
    const dir = await tempDir();
    await train({ ...base, epochs: 1 }, iris, { checkpointDir: dir });
    await expectAppError(
      train({ ...base, epochs: 2, seed: 99 }, iris, { resumeFrom: dir }),
      'invalid_checkpoint',
      /another specification/,
    );
    await expectAppError(
      train({ ...base, epochs: 2 }, iris, { resumeFrom: await tempDir() }),
      'invalid_checkpoint',
      /cannot read/,
    );
  });

  it('stops at the time budget between batches and keeps the model', async () => {
    let clock = 0;
    // Every reading of the clock is one more second: the 5-second budget runs out within the first epoch.
    const result = await train({ ...base, epochs: 50, timeBudgetSeconds: 5 }, iris, {
      now: () => (clock += 1000),
    });
    expect(result.stoppedBy).toBe('time_budget');
    expect(result.history.length).toBeLessThan(50);
    expect(result.evaluation.rows).toBeGreaterThan(0);
  });
});
