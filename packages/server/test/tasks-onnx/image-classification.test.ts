import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabelScore } from '../../src/wire/predict.js';
import {
  imageRequest,
  mnistPipeline,
  predict,
  squeezenetPipeline,
  unloadModels,
} from '../support/onnx-task-fixtures.js';
import { sharedModel } from '../support/shared-models.js';

afterAll(unloadModels);

async function classify(
  pipelineOf: typeof mnistPipeline,
  bytes: Uint8Array,
  ctx: { skip: (note?: string) => void },
  topK?: number,
): Promise<LabelScore[]> {
  const response = await predict(await pipelineOf(ctx), imageRequest(bytes, topK));
  if (response.task !== 'image-classification') throw new Error(`unexpected task ${response.task}`);
  return response.predictions;
}

describe('image classification on real models', () => {
  it('SqueezeNet FP16 (BGR, NCHW) calls the kitten a tabby', async (ctx) => {
    const kitten = await readFile(sharedModel('squeezenet1.0-fp16/kitten_224.png', ctx));
    const predictions = await classify(squeezenetPipeline, kitten, ctx);
    expect(predictions).toHaveLength(5);
    expect(predictions[0]?.label).toContain('tabby');
    expect(predictions[0]?.score).toBeGreaterThan(0.8);
    const scores = predictions.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('SqueezeNet finds the tench in fish.png', async (ctx) => {
    const fish = await readFile(sharedModel('squeezenet1.0-fp16/fish.png', ctx));
    const predictions = await classify(squeezenetPipeline, fish, ctx, 1);
    expect(predictions).toEqual([{ label: 'tench', score: expect.any(Number) }]);
  });

  it('a 500×375 JPEG of the kitten is resized and centre-cropped and still reads as a tabby', async (ctx) => {
    const kitten = await readFile(sharedModel('squeezenet1.0-fp16/kitten_224.png', ctx));
    const jpeg = await sharp(kitten).resize(500, 375, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer();
    expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
    const predictions = await classify(squeezenetPipeline, jpeg, ctx, 3);
    expect(predictions).toHaveLength(3);
    expect(predictions[0]?.label).toContain('tabby');
  });

  it('WebP and GIF decode too', async (ctx) => {
    const kitten = await readFile(sharedModel('squeezenet1.0-fp16/kitten_224.png', ctx));
    for (const bytes of [await sharp(kitten).webp().toBuffer(), await sharp(kitten).gif().toBuffer()]) {
      const predictions = await classify(squeezenetPipeline, bytes, ctx, 5);
      expect(predictions.map((p) => p.label).some((l) => /tabby|tiger cat|Egyptian cat/.test(l))).toBe(true);
    }
  });

  it('MNIST (gray, logits) reads the handwritten 8 and softmaxes its logits', async (ctx) => {
    const digit = await readFile(sharedModel('mnist/mnist_28.png', ctx));
    const predictions = await classify(mnistPipeline, digit, ctx, 10);
    expect(predictions[0]?.label).toBe('8');
    expect(predictions.map((p) => p.label).sort()).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    const total = predictions.reduce((sum, p) => sum + p.score, 0);
    expect(total).toBeCloseTo(1, 5);
  });

  it('MNIST accepts a colour image three times its size (made gray and downscaled)', async (ctx) => {
    const digit = await readFile(sharedModel('mnist/mnist_28.png', ctx));
    const rgb = await sharp(digit)
      .resize(84, 84, { kernel: 'nearest' })
      .toColourspace('srgb')
      .png()
      .toBuffer();
    expect((await sharp(rgb).metadata()).channels).toBe(3);
    const predictions = await classify(mnistPipeline, rgb, ctx, 1);
    expect(predictions[0]?.label).toBe('8');
  });
});
