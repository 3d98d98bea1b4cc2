import type { TrainingSpec } from '@modelport/contracts';
import type { ImageFrame } from '../../formats/index.js';
import type { ImagePreprocessingState } from '../../wire/training/index.js';
import { datasetError, specError } from '../training-errors.js';
import { applyImagePreprocessing } from './apply-preprocessing.js';
import { decodeImage } from './decode-image.js';
import type { PreparedData } from './prepared-data.js';
import { splitRows } from './split-rows.js';

/**
 * Image folder → model inputs: each image decoded once (resized, grey or RGB, scaled) into one
 * Float32Array, labelled by its class folder, split by class.
 */
export async function prepareImages(
  spec: TrainingSpec,
  frame: ImageFrame,
  concurrency: number,
): Promise<PreparedData> {
  if (spec.task === 'regression') throw specError('an image dataset trains a classifier', 'task');
  if (spec.target !== undefined)
    throw specError('is implicit for an image dataset (the class folder)', 'target');
  if (spec.features !== undefined)
    throw specError('is implicit for an image dataset (the pixels)', 'features');
  if (frame.items.length === 0) throw datasetError('The image dataset has no images', 'datasetId');
  if (frame.classes.length < 2) {
    throw datasetError(
      `The images have one class (${JSON.stringify(frame.classes[0] ?? '')}); classification needs two or more`,
      'target',
    );
  }
  const image = spec.preprocessing.image;
  const state: ImagePreprocessingState = {
    version: 1,
    kind: 'image',
    task: 'classification',
    classes: [...frame.classes],
    width: image.width,
    height: image.height,
    channels: image.channels,
    scale: image.scale,
    mean: image.mean ?? new Array<number>(image.channels).fill(0),
    std: image.std ?? new Array<number>(image.channels).fill(1),
  };
  const index = new Map(frame.classes.map((c, i) => [c, i]));
  const targets = Float32Array.from(frame.items, (item) => {
    const label = index.get(item.className);
    if (label === undefined)
      throw datasetError(
        `Image "${item.path}" has class "${item.className}", which is not among the dataset's classes`,
        'datasetId',
      );
    return label;
  });
  const size = image.width * image.height * image.channels;
  const inputs = new Float32Array(frame.items.length * size);
  await forEachLimited(frame.items.length, concurrency, async (i) => {
    const pixels = await decodeImage(frame.items[i] as ImageFrame['items'][number], image);
    applyImagePreprocessing(state, pixels, inputs, i * size);
  });
  const seed = spec.preprocessing.shuffleSeed ?? spec.seed;
  const split = splitRows(frame.items.length, spec.preprocessing.split, seed, targets);
  if (split.train.length === 0)
    throw datasetError(
      'The training split is empty: too few images for the validation and test shares',
      'preprocessing.split',
    );
  const frameRows = Array.from({ length: frame.items.length }, (_, i) => i);
  return {
    state,
    inputShape: [image.height, image.width, image.channels],
    inputs,
    targets,
    frameRows,
    split,
  };
}

/** Runs `work(0…count-1)` with at most `limit` at a time; the first failure rejects. */
async function forEachLimited(
  count: number,
  limit: number,
  work: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, lane));
}
