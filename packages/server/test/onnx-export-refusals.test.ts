import { beforeAll, describe, expect, it } from 'vitest';
import { checkParity, EXPORTABLE_LAYERS, exportToOnnx } from '../src/trainer/export/index.js';
import { expectAppError, expectAppErrorSync } from './support/expect-app-error.js';
import { predictValues, seededValues, seedWeights, tfl, useCpuBackend } from './support/tfjs-models.js';

beforeAll(useCpuBackend);

describe('what the exporter refuses', () => {
  it('a BatchNormalization layer, named with its index and class', () => {
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ inputShape: [4], units: 3 }));
    model.add(tfl.layers.batchNormalization({ name: 'bn_after_dense' }));
    model.add(tfl.layers.dense({ units: 2, activation: 'softmax' }));
    const err = expectAppErrorSync(
      () => exportToOnnx(model),
      'validation_failed',
      /layer 1 'bn_after_dense' \(BatchNormalization\).*supports only Dense/,
    );
    expect(err.status).toBe(400);
    expect(err.details).toEqual({ layer: 'bn_after_dense', className: 'BatchNormalization' });
    expect(EXPORTABLE_LAYERS).not.toContain('BatchNormalization');
  });

  it('an LSTM, named before its [timesteps, features] input is judged', () => {
    const model = tfl.sequential();
    model.add(
      tfl.layers.lstm({
        inputShape: [5, 3],
        units: 4,
        name: 'recurrent',
        recurrentInitializer: 'glorotUniform',
      }),
    );
    model.add(tfl.layers.dense({ units: 1 }));
    expectAppErrorSync(() => exportToOnnx(model), 'validation_failed', /'recurrent' \(LSTM\)/);
  });

  it('a functional model, and a Dense reading an image without a Flatten', () => {
    const input = tfl.input({ shape: [3] });
    const output = tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor;
    const functional = tfl.model({ inputs: input, outputs: output });
    expectAppErrorSync(() => exportToOnnx(functional), 'validation_failed', /only Sequential models export/);

    const model = tfl.sequential();
    model.add(tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3 }));
    model.add(tfl.layers.dense({ units: 2, name: 'dense_on_map' }));
    expectAppErrorSync(
      () => exportToOnnx(model),
      'validation_failed',
      /'dense_on_map'.*add a Flatten before it/,
    );
  });

  it('labels that do not match the output, and binaryOutput without a one-unit sigmoid head', () => {
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' }));
    expectAppErrorSync(
      () => exportToOnnx(model, { labels: ['a', 'b'] }),
      'validation_failed',
      /labels: 2 labels for an output of \[3\]/,
    );
    expectAppErrorSync(
      () => exportToOnnx(model, { binaryOutput: 'both' }),
      'validation_failed',
      /'both' needs a one-unit sigmoid head; the model ends in softmax \[3\]/,
    );
    expectAppErrorSync(
      () => exportToOnnx(model, { features: ['only', 'three', 'names'] }),
      'validation_failed',
      /3 names for 4 input features/,
    );
  });
});

describe('checkParity', () => {
  it('fails with the numbers when the exported model strays, and on NaN against a number', async () => {
    await useCpuBackend();
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ inputShape: [4], units: 3, activation: 'tanh' }));
    seedWeights(model, 51);
    const x = seededValues(8, 52);
    const expected = predictValues(model, x, [2, 4]);
    const onnx = exportToOnnx(model);
    const ok = await checkParity(onnx, x, [2, 4], expected);
    expect(ok.ok).toBe(true);
    expect(ok.maxAbsDiff).toBeLessThan(1e-4);

    const off = expected.slice();
    off[4] = (off[4] ?? 0) + 0.01;
    const err = await expectAppError(
      checkParity(onnx, x, [2, 4], off),
      'internal_error',
      /max \|difference\| 0\.0\d+ > tolerance 0\.0001; at index 4 the trained model gave -?\d\.\d+, the exported model -?\d\.\d+/,
    );
    expect(err.details).toMatchObject({ ok: false, worst: { index: 4 }, tolerance: 1e-4 });
    // A looser tolerance accepts the same difference.
    expect((await checkParity(onnx, x, [2, 4], off, 0.02)).ok).toBe(true);

    const nan = expected.slice();
    nan[2] = Number.NaN;
    await expectAppError(
      checkParity(onnx, x, [2, 4], nan),
      'internal_error',
      /at index 2 the trained model gave NaN/,
    );
    await expectAppError(
      checkParity(onnx, x, [2, 4], expected.slice(1)),
      'internal_error',
      /gave 6 values, the trained model 5/,
    );
  });
});
