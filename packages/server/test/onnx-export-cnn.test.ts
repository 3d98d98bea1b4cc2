import { beforeAll, describe, expect, it } from 'vitest';
import { exportToOnnx } from '../src/trainer/export/index.js';
import { decodeModel, dimsOf } from './support/decode-onnx-model.js';
import { exportAndCompare, seededValues, seedWeights, tfl, useCpuBackend } from './support/tfjs-models.js';

beforeAll(useCpuBackend);

function graphOf(onnx: Uint8Array) {
  const { graph } = decodeModel(onnx);
  const node = (opType: string) => graph.node.filter((n) => n.opType === opType);
  const attribute = (n: (typeof graph.node)[number], name: string) =>
    (n.attribute ?? []).find((a) => a.name === name);
  const ints = (n: (typeof graph.node)[number], name: string) => attribute(n, name)?.ints?.map(Number);
  return { graph, node, attribute, ints };
}

/** conv 5×5 valid, max pool, conv, max pool, flatten, dense, softmax on 32×32×3. */
function leNet(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({ inputShape: [32, 32, 3], filters: 6, kernelSize: 5, activation: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 32, activation: 'relu' }));
  model.add(tfl.layers.dropout({ rate: 0.25 }));
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  seedWeights(model, 21);
  return model;
}

/** 'same' padding with stride 2 on odd sizes (asymmetric pads), average pooling, dilation. */
function oddSameCnn(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape: [15, 13, 2],
      filters: 4,
      kernelSize: [4, 3],
      strides: 2,
      padding: 'same',
      activation: 'tanh',
    }),
  );
  model.add(tfl.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }));
  model.add(
    tfl.layers.conv2d({ filters: 5, kernelSize: 2, dilationRate: 2, padding: 'same', useBias: false }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: [2, 3], strides: [1, 2], padding: 'same' }));
  model.add(tfl.layers.activation({ activation: 'selu' }));
  model.add(tfl.layers.averagePooling2d({ poolSize: 2, padding: 'valid' }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 3, activation: 'sigmoid' }));
  seedWeights(model, 22);
  return model;
}

const images = (n: number, [h, w, c]: number[], seed: number) => ({
  values: seededValues(n * (h ?? 0) * (w ?? 0) * (c ?? 0), seed),
  shape: [n, h ?? 0, w ?? 0, c ?? 0],
});

describe('convolutional networks exported to ONNX match model.predict', () => {
  it('a LeNet-like CNN on 32×32×3, fed NCHW', async () => {
    const model = leNet();
    const x = images(4, [32, 32, 3], 31);
    const { onnx, parity } = await exportAndCompare(model, x.values, x.shape);
    expect(parity.ok).toBe(true);
    const { graph, node } = graphOf(onnx);
    expect([graph.input[0]?.name, dimsOf(graph.input[0])]).toEqual(['image', ['batch', 3, 32, 32]]);
    expect(dimsOf(graph.output[0])).toEqual(['batch', 10]);
    // NCHW in, so the one transpose is the way back to NHWC before Flatten.
    expect(node('Transpose')).toHaveLength(1);
    expect(node('Conv').map((n) => n.input?.length)).toEqual([3, 3]);
  });

  it('the same LeNet fed NHWC, as tfjs is', async () => {
    const x = images(3, [32, 32, 3], 32);
    const { onnx, parity } = await exportAndCompare(leNet(), x.values, x.shape, { imageLayout: 'NHWC' });
    expect(parity.ok).toBe(true);
    const { graph, node } = graphOf(onnx);
    expect(dimsOf(graph.input[0])).toEqual(['batch', 32, 32, 3]);
    expect(node('Transpose')).toHaveLength(2);
  });

  it("'same' padding, strides 2, odd sizes, dilation and average pooling", async () => {
    const model = oddSameCnn();
    for (const imageLayout of ['NCHW', 'NHWC'] as const) {
      const x = images(5, [15, 13, 2], 33);
      const { parity } = await exportAndCompare(model, x.values, x.shape, { imageLayout });
      expect(parity.ok).toBe(true);
    }
    const { node, attribute, ints } = graphOf(exportToOnnx(model));
    const [firstConv] = node('Conv');
    // 15 rows, kernel 4, stride 2: 8 outputs need 3 rows of padding, 1 above and 2 below (as TF).
    // 13 columns, kernel 3, stride 2: 7 outputs need 2, 1 each side.
    expect(firstConv && ints(firstConv, 'pads')).toEqual([1, 1, 2, 1]);
    const averages = node('AveragePool');
    expect(averages.map((n) => Number(attribute(n, 'count_include_pad')?.i))).toEqual([0, 0]);
  });

  it('a conv net ending in global pooling, and one ending on an image map (answered NHWC)', async () => {
    const pooled = tfl.sequential();
    pooled.add(tfl.layers.conv2d({ inputShape: [9, 9, 1], filters: 3, kernelSize: 3, activation: 'relu' }));
    pooled.add(tfl.layers.globalAveragePooling2d({}));
    pooled.add(tfl.layers.dense({ units: 2, activation: 'softmax' }));
    seedWeights(pooled, 23);
    const x = images(2, [9, 9, 1], 34);
    expect((await exportAndCompare(pooled, x.values, x.shape)).parity.ok).toBe(true);

    const maps = tfl.sequential();
    maps.add(tfl.layers.conv2d({ inputShape: [7, 6, 2], filters: 3, kernelSize: 3, padding: 'same' }));
    maps.add(tfl.layers.globalMaxPooling2d({}));
    seedWeights(maps, 24);
    const y = images(2, [7, 6, 2], 35);
    expect((await exportAndCompare(maps, y.values, y.shape)).parity.ok).toBe(true);

    const fullyConvolutional = tfl.sequential();
    fullyConvolutional.add(
      tfl.layers.conv2d({
        inputShape: [6, 5, 2],
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        activation: 'softmax',
      }),
    );
    seedWeights(fullyConvolutional, 25);
    const z = images(2, [6, 5, 2], 36);
    const { onnx, parity } = await exportAndCompare(fullyConvolutional, z.values, z.shape);
    expect(parity.ok).toBe(true);
    expect(dimsOf(graphOf(onnx).graph.output[0])).toEqual(['batch', 6, 5, 3]);
  });
});
