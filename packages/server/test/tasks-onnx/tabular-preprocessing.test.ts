import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel } from '../../src/formats/index.js';
import type { OnnxModel } from '../../src/runtime/onnx/index.js';
import {
  expectAppError,
  loadModel,
  pipelineFor,
  predict,
  scratchDir,
  unloadModels,
} from '../support/onnx-task-fixtures.js';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
/** y = x (identity over 4 columns): the answer shows exactly what the pipeline fed. */
let echo: OnnxModel;
/** y = sum of 4 columns: one regression output. */
let sum: OnnxModel;

beforeAll(async () => {
  scratch = await scratchDir();
  const identity = buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape: ['batch', 4] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: ['batch', 4] }],
    nodes: [{ opType: 'Identity', name: 'echo', inputs: ['x'], outputs: ['y'] }],
  });
  echo = await loadModel(await scratch.write('echo.onnx', identity));
  const summed = buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape: ['batch', 4] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: ['batch', 1] }],
    initializers: [{ name: 'W', elemType: 'FP32', dims: [4, 1], data: Float32Array.from([1, 1, 1, 1]) }],
    nodes: [{ opType: 'MatMul', name: 'sum', inputs: ['x', 'W'], outputs: ['y'] }],
  });
  sum = await loadModel(await scratch.write('sum.onnx', summed));
});
afterAll(async () => {
  await unloadModels();
  await scratch?.cleanup();
});

/** One number column (filled, scaled) and a three-category column: 1 + 3 model inputs. */
const preprocessing = {
  columns: [
    { name: 'weight', kind: 'number', fill: 10, center: 2, scale: 4, greaterThan: -1 },
    { name: 'origin', kind: 'category', categories: ['EU', 'JP', 'US'], fill: 'US', unknown: 'zeros' },
  ],
};

async function fed(rows: Record<string, number | string | null>[]) {
  const pipeline = pipelineFor('tabular', { preprocessing, targets: ['a', 'b', 'c', 'd'] }, echo);
  const response = await predict(pipeline, { task: 'tabular', rows });
  if (response.task !== 'tabular') throw new Error('not tabular');
  return response.predictions.map((p) => [p.a, p.b, p.c, p.d]);
}

describe('tabular pipeline with the preprocessing a trained model stores', () => {
  it('fills missing values, scales numbers and one-hot encodes categories from raw rows', async () => {
    expect(
      await fed([
        { weight: 6, origin: 'JP' },
        { weight: null, origin: null },
        { origin: 'EU' },
        { weight: 2, origin: 'Mars' },
      ]),
    ).toEqual([
      [1, 0, 1, 0],
      [2, 0, 0, 1],
      [2, 1, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('refuses what training never saw, naming row and field: a category (when asked), text for a number, a value at the bound', async () => {
    const strict = {
      columns: [
        { name: 'weight', kind: 'number', log1p: true },
        { name: 'origin', kind: 'category', categories: ['EU', 'JP', 'US'] },
      ],
    };
    const pipeline = pipelineFor('tabular', { preprocessing: strict }, echo);
    const run = (row: Record<string, number | string | null>) =>
      predict(pipeline, { task: 'tabular', rows: [row] });
    await expectAppError(run({ weight: 1, origin: 'Mars' }), {
      code: 'validation_failed',
      status: 400,
      message: /rows\.0\.origin is 'Mars', which training never saw/,
    });
    await expectAppError(run({ weight: '1', origin: 'EU' }), {
      code: 'validation_failed',
      status: 400,
      message: /rows\.0\.weight must be a finite number/,
    });
    await expectAppError(run({ weight: -1, origin: 'EU' }), {
      code: 'validation_failed',
      status: 400,
      message: /rows\.0\.weight must be above -1/,
    });
    await expectAppError(run({ weight: null, origin: 'EU' }), {
      code: 'validation_failed',
      status: 400,
      message: /rows\.0\.weight is missing/,
    });
    await expectAppError(run({ weight: 1, origin: 'EU', colour: 'red' }), {
      code: 'validation_failed',
      status: 400,
      message: /unknown field 'colour'/,
    });
  });

  it('checks the encoded width against the model, and turns a regression output back into the target unit', async () => {
    await expectAppError(
      (async () =>
        pipelineFor('tabular', { preprocessing: { columns: [{ name: 'a', kind: 'number' }] } }, echo))(),
      { code: 'invalid_config', status: 400, message: /preprocessing makes 1 input columns/ },
    );
    const pipeline = pipelineFor(
      'tabular',
      { preprocessing, targets: ['price'], targetTransform: { center: 1, scale: 2, log1p: true } },
      sum,
    );
    const response = await predict(pipeline, { task: 'tabular', rows: [{ weight: 6, origin: 'EU' }] });
    if (response.task !== 'tabular') throw new Error('not tabular');
    // Fed [1, 1, 0, 0] → sum 2 → 2 × 2 + 1 = 5 → expm1(5).
    expect(response.predictions[0]?.price).toBeCloseTo(Math.expm1(5), 3);
  });
});
