import { describe, expect, it } from 'vitest';
import { resolveImageConfig } from '../../src/wire/task-config/index.js';
import type { ModelInfo } from '../../src/wire/tensor.js';
import { expectAppError } from '../support/onnx-task-fixtures.js';

const squeezenetInfo: ModelInfo = {
  platform: 'onnx_onnxv1',
  inputs: [{ name: 'data_0', datatype: 'FP16', shape: [1, 3, 224, 224] }],
  outputs: [{ name: 'softmaxout_1', datatype: 'FP16', shape: [1, 1000, 1, 1] }],
  batchable: false,
};

const refused = (config: unknown, info = squeezenetInfo) =>
  expectAppError((async () => resolveImageConfig(config, info))(), {
    code: 'invalid_config',
    status: 400,
    message: /^Invalid version config for image-classification, config\./,
  });

describe('image version configs, checked against the model', () => {
  it('fills defaults: size and dtype from the model, RGB, NCHW, scale 1, no mean/std, cover, first tensors', () => {
    expect(resolveImageConfig({ image: {} }, squeezenetInfo)).toEqual({
      width: 224,
      height: 224,
      channels: 'RGB',
      layout: 'NCHW',
      scale: 1,
      mean: [0, 0, 0],
      std: [1, 1, 1],
      resize: 'cover',
      dtype: 'FP16',
      labels: [],
      outputKind: 'probabilities',
      input: 'data_0',
      output: 'softmaxout_1',
    });
  });

  it('broadcasts a single mean and std to every channel', () => {
    const config = resolveImageConfig({ image: { mean: [0.5], std: [0.25] } }, squeezenetInfo);
    expect(config).toMatchObject({ mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
  });

  it('refuses what does not fit the model or is misspelt', async () => {
    const messages = [
      [{ image: { dtype: 'FP32' } }, /config\.image\.dtype: FP32, but input 'data_0' is FP16/],
      [{ image: { width: 100 } }, /takes 224 as its width dimension, the config gives 100/],
      [{ image: { channels: 'gray' } }, /takes 3 as its channel dimension, the config gives 1/],
      [{ image: { layout: 'NHWC' } }, /takes 224 as its channel dimension/],
      [{ image: { mean: [1, 2] } }, /config\.image\.mean: 2 values for 3 channel\(s\)/],
      [{ image: { layuot: 'NCHW' } }, /config\.image: Unknown field 'layuot'/],
      [{ image: { std: [0] } }, /config\.image\.std\.0/],
      [
        { image: {}, output: 'prob' },
        /config\.output: the model has no output 'prob' \(it has softmaxout_1\)/,
      ],
      [{}, /config\.image: /],
    ] as const;
    for (const [config, message] of messages) {
      const err = await refused(config);
      expect(err.message).toMatch(message);
    }
  });

  it('refuses a model whose input is not an image', async () => {
    const info: ModelInfo = { ...squeezenetInfo, inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }] };
    const err = await refused({ image: { width: 2, height: 2 } }, info);
    expect(err.message).toMatch(/input 'x' has shape \[-1,4\], an image needs 4 dimensions/);
  });

  it('needs width and height when the model leaves them open', async () => {
    const info: ModelInfo = {
      ...squeezenetInfo,
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3, -1, -1] }],
    };
    expect(resolveImageConfig({ image: { width: 64, height: 48 } }, info)).toMatchObject({
      width: 64,
      height: 48,
    });
    expect((await refused({ image: {} }, info)).message).toMatch(/has no fixed size; set width and height/);
  });
});
