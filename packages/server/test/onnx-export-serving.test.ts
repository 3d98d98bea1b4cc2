import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectArtifact } from '../src/formats/index.js';
import { exportToOnnx, type OnnxExportOptions, servingConfig } from '../src/trainer/export/index.js';
import { mulberry32 } from '../src/training/index.js';
import {
  imageRequest,
  loadModel,
  pipelineFor,
  predict,
  scratchDir,
  unloadModels,
} from './support/onnx-task-fixtures.js';
import { predictValues, seededValues, seedWeights, tfl, useCpuBackend } from './support/tfjs-models.js';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
beforeAll(async () => {
  await useCpuBackend();
  scratch = await scratchDir();
});
afterAll(async () => {
  await unloadModels();
  await scratch?.cleanup();
});

const labels = ['low', 'mid', 'high'];
const features = ['visits', 'delta', 'spend'];
const tableOptions: OnnxExportOptions = {
  labels,
  features,
  preprocessing: { features: { log1p: [true, false, true], mean: [2, 0, 3], std: [1.5, 2, 2.5] } },
};

function tableModel(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ inputShape: [3], units: 6, activation: 'relu' }));
  model.add(tfl.layers.dense({ units: 3, activation: 'softmax' }));
  seedWeights(model, 61);
  return model;
}

function imageModel(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape: [12, 10, 3],
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
    }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 4, activation: 'softmax' }));
  seedWeights(model, 62);
  return model;
}

describe('exported models in the registry and the task pipelines', () => {
  it('the registry inspector reads an exported table model and an exported CNN', async () => {
    const table = await scratch.write('table.onnx', exportToOnnx(tableModel(), tableOptions));
    const cnn = await scratch.write('cnn.onnx', exportToOnnx(imageModel()));
    const tableInfo = await inspectArtifact(table, scratch.dir);
    expect(tableInfo.format).toBe('onnx');
    expect(tableInfo.metadata.onnx).toMatchObject({
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 3] }],
      outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
      externalData: [],
    });
    const cnnInfo = await inspectArtifact(cnn, scratch.dir);
    expect(cnnInfo.metadata.onnx).toMatchObject({
      inputs: [{ name: 'image', shape: [-1, 3, 12, 10] }],
      outputs: [{ name: 'probabilities', shape: [-1, 4] }],
    });
  });

  it('the tabular pipeline, under servingConfig, answers raw rows as predict does on preprocessed ones', async () => {
    const model = tableModel();
    const served = servingConfig(model, tableOptions);
    expect(served).toEqual({
      task: 'tabular',
      config: { features, labels, input: 'features', output: 'probabilities', outputKind: 'probabilities' },
    });
    const file = await scratch.write('served-table.onnx', exportToOnnx(model, tableOptions));
    const pipeline = pipelineFor('tabular', served.config, await loadModel(file));
    const random = mulberry32(63);
    const raw = Array.from({ length: 5 }, () => [random() * 100, random() * 4 - 2, random() * 40]);
    const response = await predict(pipeline, {
      task: 'tabular',
      rows: raw.map((row) => Object.fromEntries(features.map((f, i) => [f, row[i] ?? 0]))),
    });
    if (response.task !== 'tabular') throw new Error(`unexpected task ${response.task}`);
    const pre = tableOptions.preprocessing?.features;
    const preprocessed = raw.flatMap((row) =>
      row.map(
        (x, i) => ((pre?.log1p?.[i] ? Math.log1p(x) : x) - (pre?.mean?.[i] ?? 0)) / (pre?.std?.[i] ?? 1),
      ),
    );
    const expected = predictValues(model, Float32Array.from(preprocessed), [5, 3]);
    response.predictions.forEach((prediction, r) => {
      labels.forEach((label, c) => {
        expect(Math.abs(Number(prediction[`p_${label}`]) - (expected[r * 3 + c] ?? Number.NaN))).toBeLessThan(
          1e-4,
        );
      });
    });
  });

  it('the image pipeline, under servingConfig, sends raw pixels the graph normalises itself', async () => {
    const model = imageModel();
    const options: OnnxExportOptions = {
      labels: ['a', 'b', 'c', 'd'],
      preprocessing: { image: { scale: 1 / 255, mean: [0.5], std: [0.25] } },
    };
    const served = servingConfig(model, options);
    expect(served).toEqual({
      task: 'image-classification',
      config: {
        image: {
          width: 10,
          height: 12,
          channels: 'RGB',
          layout: 'NCHW',
          scale: 1,
          resize: 'fill',
          dtype: 'FP32',
        },
        labels: options.labels,
        input: 'image',
        output: 'probabilities',
        outputKind: 'probabilities',
      },
    });
    const file = await scratch.write('served-cnn.onnx', exportToOnnx(model, options));
    const pipeline = pipelineFor('image-classification', served.config, await loadModel(file));
    const pixels = seededValues(12 * 10 * 3, 64, 0, 256).map(Math.floor);
    const png = await sharp(Buffer.from(Uint8Array.from(pixels)), {
      raw: { width: 10, height: 12, channels: 3 },
    })
      .png()
      .toBuffer();
    const response = await predict(pipeline, imageRequest(png, 4));
    if (response.task !== 'image-classification') throw new Error(`unexpected task ${response.task}`);
    const expected = predictValues(
      model,
      pixels.map((p) => (p / 255 - 0.5) / 0.25),
      [1, 12, 10, 3],
    );
    for (const { label, score } of response.predictions) {
      const index = options.labels?.indexOf(label) ?? -1;
      expect(Math.abs(score - (expected[index] ?? Number.NaN))).toBeLessThan(1e-4);
    }
    expect(response.predictions).toHaveLength(4);
  });
});
