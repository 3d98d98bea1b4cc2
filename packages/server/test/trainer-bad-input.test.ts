import { describe, expect, it } from 'vitest';
import { train } from '../src/trainer/index.js';
import { irisRecords } from './support/datasets.js';
import { expectAppError } from './support/expect-app-error.js';
import { tableFrame } from './support/table-frame.js';

/** Every refusal names the field at fault (and, for data, the column and row). */
const iris = tableFrame(irisRecords());
const spec = { datasetId: 'iris', target: 'species', epochs: 1 };

describe('trainer refuses bad input', () => {
  it('an unknown target or feature column', async () => {
    const target = await expectAppError(
      train({ ...spec, target: 'colour' }, iris),
      'invalid_dataset',
      /no column "colour"/,
    );
    expect(target.param).toBe('target');
    const feature = await expectAppError(
      train({ ...spec, features: ['sepal_length', 'weight'] }, iris),
      'invalid_dataset',
      /"weight"/,
    );
    expect(feature.param).toBe('features');
    const log = await expectAppError(
      train({ ...spec, preprocessing: { log1p: ['species'] } }, iris),
      'invalid_dataset',
    );
    expect(log.param).toBe('preprocessing.log1p');
  });

  it('a table job without a target', async () => {
    const err = await expectAppError(train({ datasetId: 'iris', epochs: 1 }, iris), 'validation_failed');
    expect(err.param).toBe('target');
  });

  it('a target with one class', async () => {
    const setosa = tableFrame(irisRecords().filter((r) => r.species === 'setosa'));
    const err = await expectAppError(
      train(spec, setosa),
      'invalid_dataset',
      /"species" has one class \("setosa"\)/,
    );
    expect(err.param).toBe('target');
  });

  it('every row dropped', async () => {
    const gappy = tableFrame(
      irisRecords().map((r, i) => ({
        ...r,
        petal_width: i % 2 === 0 ? null : r.petal_width,
        sepal_width: i % 2 === 1 ? null : r.sepal_width,
      })),
    );
    const err = await expectAppError(train(spec, gappy), 'invalid_dataset', /Every row was dropped/);
    expect(err.param).toBe('preprocessing.missing');
  });

  it('a value that is not a number in a column used as one, with its row', async () => {
    const records = irisRecords();
    records[41] = { ...records[41], sepal_length: 'n/a' };
    // The column reads as text now; one-hot is off for it, so it is used as a number.
    const err = await expectAppError(
      train({ ...spec, preprocessing: { oneHot: [] } }, tableFrame(records)),
      'invalid_dataset',
      /Column "sepal_length", row 42: "n\/a" is not a number/,
    );
    expect(err.param).toBe('sepal_length');
  });

  it('a value log1p cannot take, with its row', async () => {
    const records = irisRecords();
    records[7] = { ...records[7], petal_width: -3 };
    const err = await expectAppError(
      train({ ...spec, preprocessing: { log1p: ['petal_width'] } }, tableFrame(records)),
      'invalid_dataset',
      /Column "petal_width", row 8: log1p needs values above -1, got -3/,
    );
    expect(err.param).toBe('preprocessing.log1p');
  });

  it('hyperparameters out of range, unknown fields, through the schema', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ epochs: 0 }, 'epochs'],
      [{ epochs: 1001 }, 'epochs'],
      [{ batchSize: 4097 }, 'batchSize'],
      [{ optimizer: { type: 'sgd', learningRate: 0 } }, 'optimizer.learningRate'],
      [{ optimizer: { type: 'adam', learningRate: 11 } }, 'optimizer.learningRate'],
      [{ optimizer: { type: 'adam', beta1: 1 } }, 'optimizer.beta1'],
      [{ model: { layers: [{ type: 'dense', units: 8193 }] } }, 'model.layers.0.units'],
      [
        { model: { layers: Array.from({ length: 33 }, () => ({ type: 'dense', units: 3 })) } },
        'model.layers',
      ],
      [{ model: { layers: [{ type: 'dropout', rate: 1 }] } }, 'model.layers.0.rate'],
      [{ model: {} }, 'model.preset'],
      [{ model: { preset: 'lenet', layers: [{ type: 'flatten' }] } }, 'model.preset'],
      [{ preprocessing: { split: { validation: 0.6 } } }, 'preprocessing.split.validation'],
      [{ earlyStopping: { patience: -1 } }, 'earlyStopping.patience'],
      [{ seed: 2 ** 32 }, 'seed'],
      [{ learningRate: 0.1 }, ''],
      [{ features: ['species'] }, 'features'],
    ];
    for (const [change, param] of cases) {
      const err = await expectAppError(train({ ...spec, ...change }, iris), 'validation_failed');
      expect(err.param ?? '', JSON.stringify(change)).toBe(param);
      if (param === '') expect(err.message).toMatch(/learningRate/);
    }
  });

  it('a model that does not fit the task', async () => {
    const wrongUnits = await expectAppError(
      train({ ...spec, model: { layers: [{ type: 'dense', units: 2, activation: 'softmax' }] } }, iris),
      'validation_failed',
      /3 classes/,
    );
    expect(wrongUnits.param).toBe('model.layers.0.units');
    const noSoftmax = await expectAppError(
      train({ ...spec, model: { layers: [{ type: 'dense', units: 3 }] } }, iris),
      'validation_failed',
    );
    expect(noSoftmax.param).toBe('model.layers.0.activation');
    const lenet = await expectAppError(
      train({ ...spec, model: { preset: 'lenet' } }, iris),
      'validation_failed',
    );
    expect(lenet.param).toBe('model.preset');
    const binary = await expectAppError(
      train({ ...spec, model: { preset: 'mlp-64-32-1' } }, iris),
      'validation_failed',
    );
    expect(binary.param).toBe('model.preset');
    const loss = await expectAppError(
      train({ ...spec, loss: 'meanSquaredError' }, iris),
      'validation_failed',
    );
    expect(loss.param).toBe('loss');
    const conv = await expectAppError(
      train(
        {
          ...spec,
          model: {
            layers: [
              { type: 'conv2d', filters: 2, kernelSize: 3 },
              { type: 'dense', units: 3, activation: 'softmax' },
            ],
          },
        },
        iris,
      ),
      'validation_failed',
      /image input/,
    );
    expect(conv.param).toBe('model.layers.0');
  });

  it('early stopping without a validation split', async () => {
    const err = await expectAppError(
      train({ ...spec, earlyStopping: {}, preprocessing: { split: { validation: 0 } } }, iris),
      'validation_failed',
    );
    expect(err.param).toBe('earlyStopping');
  });
});
