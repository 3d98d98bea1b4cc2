import { beforeAll, describe, expect, it } from 'vitest';
import { checkParity, EXPORTABLE_ACTIVATIONS, exportToOnnx } from '../src/trainer/export/index.js';
import { decodeModel, dimsOf } from './support/decode-onnx-model.js';
import { expectAppErrorSync } from './support/expect-app-error.js';
import { exportAndCompare, seededValues, seedWeights, tfl, useCpuBackend } from './support/tfjs-models.js';

beforeAll(useCpuBackend);

const ROWS = 16;
const FEATURES = 6;
const rows = () => seededValues(ROWS * FEATURES, 7, -3, 3);

function outputsOf(onnx: Uint8Array) {
  const { graph, model } = decodeModel(onnx);
  const metadata = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
  return { graph, model, metadata, output: graph.output[0], input: graph.input[0] };
}

describe('dense networks exported to ONNX match model.predict', () => {
  it.each(EXPORTABLE_ACTIVATIONS)('%s, in a Dense layer and as an Activation layer', async (activation) => {
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ inputShape: [FEATURES], units: 8, activation: activation as 'relu' }));
    model.add(tfl.layers.dropout({ rate: 0.3 }));
    model.add(tfl.layers.dense({ units: 5 }));
    model.add(tfl.layers.activation({ activation: activation as 'relu' }));
    seedWeights(model, 11);
    const { parity } = await exportAndCompare(model, rows(), [ROWS, FEATURES]);
    expect(parity.ok).toBe(true);
    expect(parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
  });

  it('an MLP chaining every activation, ending in softmax: output `probabilities` [batch, 4]', async () => {
    const model = tfl.sequential();
    model.add(tfl.layers.inputLayer({ inputShape: [FEATURES] }));
    for (const activation of EXPORTABLE_ACTIVATIONS)
      model.add(tfl.layers.dense({ units: 7, activation: activation as 'relu' }));
    model.add(tfl.layers.dense({ units: 4, activation: 'softmax' }));
    seedWeights(model, 12);
    const { onnx, parity } = await exportAndCompare(model, rows(), [ROWS, FEATURES]);
    expect(parity.ok).toBe(true);
    const { input, output, metadata } = outputsOf(onnx);
    expect([input?.name, dimsOf(input)]).toEqual(['features', ['batch', FEATURES]]);
    expect([output?.name, dimsOf(output)]).toEqual(['probabilities', ['batch', 4]]);
    expect(metadata['modelport.output_kind']).toBe('probabilities');
  });

  it('an L2-regularized Dense without bias exports like any other', async () => {
    const model = tfl.sequential();
    model.add(
      tfl.layers.dense({
        inputShape: [FEATURES],
        units: 9,
        activation: 'tanh',
        kernelRegularizer: tfl.regularizers.l2({ l2: 0.01 }),
        biasRegularizer: tfl.regularizers.l1l2({ l1: 0.01, l2: 0.01 }),
      }),
    );
    model.add(tfl.layers.dense({ units: 3, useBias: false, activation: 'softmax' }));
    seedWeights(model, 13);
    const { onnx, parity } = await exportAndCompare(model, rows(), [ROWS, FEATURES]);
    expect(parity.ok).toBe(true);
    // The second layer's Gemm has two operands: no bias was invented.
    const gemms = outputsOf(onnx).graph.node.filter((n) => n.opType === 'Gemm');
    expect(gemms.map((n) => n.input?.length)).toEqual([3, 2]);
  });

  it('a binary sigmoid head: [batch, 1] as predict gives it, or [batch, 2] = [1 − p, p] for two labels', async () => {
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ inputShape: [FEATURES], units: 6, activation: 'relu' }));
    model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid' }));
    seedWeights(model, 14);
    const x = rows();
    const { onnx, expected } = await exportAndCompare(model, x, [ROWS, FEATURES]);
    expect(dimsOf(outputsOf(onnx).output)).toEqual(['batch', 1]);

    const labels = ['no', 'yes'];
    expectAppErrorSync(() => exportToOnnx(model, { labels }), 'validation_failed', /binaryOutput: 'both'/);
    const both = exportToOnnx(model, { labels, binaryOutput: 'both' });
    const { output, metadata } = outputsOf(both);
    expect([output?.name, dimsOf(output)]).toEqual(['probabilities', ['batch', 2]]);
    expect(JSON.parse(metadata['modelport.labels'] ?? '')).toEqual(labels);
    const twoColumns = Float32Array.from(Array.from(expected).flatMap((p) => [1 - p, p]));
    const parity = await checkParity(both, x, [ROWS, FEATURES], twoColumns);
    expect(parity.ok).toBe(true);
  });

  it('a regression head: linear output called `value`, outputKind values', async () => {
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ inputShape: [FEATURES], units: 10, activation: 'elu' }));
    model.add(tfl.layers.dense({ units: 1 }));
    seedWeights(model, 15);
    const { onnx, parity } = await exportAndCompare(model, rows(), [ROWS, FEATURES]);
    expect(parity.ok).toBe(true);
    const { output, metadata } = outputsOf(onnx);
    expect([output?.name, dimsOf(output)]).toEqual(['value', ['batch', 1]]);
    expect(metadata['modelport.output_kind']).toBe('values');
  });

  it('a linear head with labels is `logits`; names and metadata follow the options', async () => {
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ inputShape: [3], units: 2 }));
    seedWeights(model, 16);
    const labels = ['cat', 'dog'];
    const features = ['a', 'b', 'c'];
    const onnx = exportToOnnx(model, {
      labels,
      features,
      metadata: { dataset: 'pets', 'modelport.labels': 'x' },
    });
    const { input, output, metadata } = outputsOf(onnx);
    expect([input?.name, output?.name]).toEqual(['features', 'logits']);
    expect(metadata).toMatchObject({
      dataset: 'pets',
      'modelport.labels': JSON.stringify(labels),
      'modelport.features': JSON.stringify(features),
      'modelport.output_kind': 'logits',
    });
    const renamed = outputsOf(exportToOnnx(model, { inputName: 'rows', outputName: 'scores' }));
    expect([renamed.input?.name, renamed.output?.name]).toEqual(['rows', 'scores']);
    // Same model, same options: the same bytes.
    expect(exportToOnnx(model, { labels })).toEqual(exportToOnnx(model, { labels }));
  });
});
