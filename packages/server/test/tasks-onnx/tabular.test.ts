import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel } from '../../src/formats/index.js';
import type { OnnxModel } from '../../src/runtime/onnx/index.js';
import type { TaskPipeline } from '../../src/runtime/pipelines/task-pipeline.js';
import { type IrisDemo, trainIrisDemo } from '../../src/training/index.js';
import type { PredictRequest } from '../../src/wire/predict.js';
import {
  expectAppError,
  loadModel,
  pipelineFor,
  predict,
  scratchDir,
  unloadModels,
} from '../support/onnx-task-fixtures.js';

let demo: IrisDemo;
let iris: OnnxModel;
let scratch: Awaited<ReturnType<typeof scratchDir>>;

beforeAll(async () => {
  demo = trainIrisDemo();
  scratch = await scratchDir();
  iris = await loadModel(await scratch.write('iris.onnx', demo.onnx));
});
afterAll(async () => {
  await unloadModels();
  await scratch?.cleanup();
});

const setosa = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
const virginica = { sepal_length: 7.7, sepal_width: 3.0, petal_length: 6.1, petal_width: 2.3 };

async function rows(pipeline: TaskPipeline, input: Record<string, number>[]) {
  const response = await predict(pipeline, { task: 'tabular', rows: input });
  if (response.task !== 'tabular') throw new Error(`unexpected task ${response.task}`);
  return response.predictions;
}

/** x[batch, 2] · W + B: a linear model with two outputs, for regression and logits. */
async function linearModel(name: string, batch: number | string, outputs = 2): Promise<OnnxModel> {
  const bytes = buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape: [batch, 2] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: [batch, outputs] }],
    initializers: [
      {
        name: 'W',
        elemType: 'FP32',
        dims: [2, outputs],
        data: Float32Array.from([1, 0, 0, 2].slice(0, 2 * outputs)),
      },
      { name: 'B', elemType: 'FP32', dims: [outputs], data: Float32Array.from([10, 20].slice(0, outputs)) },
    ],
    nodes: [{ opType: 'Gemm', name: 'linear', inputs: ['x', 'W', 'B'], outputs: ['y'] }],
  });
  return loadModel(await scratch.write(name, bytes));
}

describe('tabular pipeline on the Iris demo', () => {
  it('predicts setosa for [5.1, 3.5, 1.4, 0.2], with every class probability', async () => {
    const [first, ...rest] = await rows(pipelineFor('tabular', demo.config, iris), [setosa]);
    expect(rest).toEqual([]);
    expect(first).toEqual({
      label: 'setosa',
      score: expect.any(Number),
      p_setosa: expect.any(Number),
      p_versicolor: expect.any(Number),
      p_virginica: expect.any(Number),
    });
    expect(first?.score).toBe(first?.p_setosa);
    const total = Number(first?.p_setosa) + Number(first?.p_versicolor) + Number(first?.p_virginica);
    expect(total).toBeCloseTo(1, 5);
  });

  it('answers several rows in one run, in order, whatever the field order', async () => {
    const reordered = Object.fromEntries(Object.entries(virginica).reverse());
    const predictions = await rows(pipelineFor('tabular', demo.config, iris), [setosa, reordered, setosa]);
    expect(predictions.map((p) => p.label)).toEqual(['setosa', 'virginica', 'setosa']);
  });

  it('refuses a missing field, an unknown field and a non-finite value, naming row and field', async () => {
    const pipeline = pipelineFor('tabular', demo.config, iris);
    const { petal_width: _, ...missing } = setosa;
    const cases: [Record<string, unknown>, RegExp, string][] = [
      [missing, /^rows\[1\] lacks the field 'petal_width'\.$/, 'rows.1.petal_width'],
      [
        { ...setosa, petal_colour: 3 },
        /^rows\[1\] has an unknown field 'petal_colour'; the model takes sepal_length, /,
        'rows.1.petal_colour',
      ],
      [
        { ...setosa, sepal_width: Number.NaN },
        /^rows\[1\]\.sepal_width must be a finite number \(within FP32 range\)\.$/,
        'rows.1.sepal_width',
      ],
      [
        { ...setosa, sepal_width: 1e39 },
        /^rows\[1\]\.sepal_width must be a finite number \(within FP32 range\)\.$/,
        'rows.1.sepal_width',
      ],
      [
        { ...setosa, sepal_width: '3.5' },
        /^rows\[1\]\.sepal_width must be a finite number \(within FP32 range\)\.$/,
        'rows.1.sepal_width',
      ],
    ];
    for (const [bad, message, param] of cases) {
      const request = { task: 'tabular', rows: [setosa, bad] } as PredictRequest;
      const err = await expectAppError(predict(pipeline, request), {
        code: 'validation_failed',
        status: 400,
        message,
      });
      expect(err.param).toBe(param);
    }
  });

  it('refuses an empty table and a body without rows', async () => {
    const pipeline = pipelineFor('tabular', demo.config, iris);
    for (const request of [{ task: 'tabular', rows: [] }, { task: 'tabular' }]) {
      await expectAppError(predict(pipeline, request as PredictRequest), {
        code: 'validation_failed',
        status: 400,
        message: /^Invalid tabular request, rows: /,
      });
    }
  });

  it('refuses a config whose features do not fit the model', async () => {
    await expectAppError(
      (async () => pipelineFor('tabular', { ...demo.config, features: ['a', 'b'] }, iris))(),
      {
        code: 'invalid_config',
        status: 400,
        message: /config\.input: input 'features' is FP32 \[-1,4\]; the config lists 2 features/,
      },
    );
  });
});

describe('tabular pipeline on other output kinds', () => {
  it('regression: one value per target, named by config.targets', async () => {
    const model = await linearModel('regression.onnx', 'batch');
    const pipeline = pipelineFor('tabular', { features: ['a', 'b'], targets: ['price', 'volume'] }, model);
    expect(
      await rows(pipeline, [
        { a: 1, b: 2 },
        { b: 0, a: -1 },
      ]),
    ).toEqual([
      { price: 11, volume: 24 },
      { price: 9, volume: 20 },
    ]);
  });

  it('regression without targets: named by the output', async () => {
    const model = await linearModel('single.onnx', 'batch', 1);
    const pipeline = pipelineFor('tabular', { features: ['a', 'b'], outputKind: 'values' }, model);
    expect(await rows(pipeline, [{ a: 1, b: 2 }])).toEqual([{ y: 11 }]);
  });

  it('logits are softmaxed; a fixed batch of one runs row by row', async () => {
    const model = await linearModel('logits.onnx', 1);
    const pipeline = pipelineFor(
      'tabular',
      { features: ['a', 'b'], labels: ['no', 'yes'], outputKind: 'logits' },
      model,
    );
    const predictions = await rows(pipeline, [
      { a: 0, b: 0 },
      { a: 10, b: 0 },
    ]);
    const e = Math.exp(10);
    expect(predictions[0]).toMatchObject({ label: 'yes', p_no: expect.closeTo(1 / (1 + e), 6) });
    // [20, 20]: a tie goes to the first class.
    expect(predictions[1]).toMatchObject({ label: 'no', score: expect.closeTo(0.5, 6) });
  });
});
