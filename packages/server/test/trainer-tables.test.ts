import { describe, expect, it } from 'vitest';
import { train } from '../src/trainer/index.js';
import type { TrainingResult } from '../src/wire/training/index.js';
import { irisRecords, vegaDataset } from './support/datasets.js';
import { tableFrame } from './support/table-frame.js';

/** Real tables from npm packages, trained end to end on the wasm backend at one thread. */

function classification(result: TrainingResult) {
  if (result.evaluation.task !== 'classification') throw new Error('expected a classification evaluation');
  return result.evaluation;
}

describe('trainer on tables', () => {
  it('iris: the mlp preset beats the majority class by a clear margin', async () => {
    const epochs: number[] = [];
    const result = await train(
      {
        datasetId: 'iris',
        target: 'species',
        model: { preset: 'mlp-64-64-10' },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 30,
        batchSize: 16,
        preprocessing: { split: { validation: 0.2, test: 0.2 } },
      },
      tableFrame(irisRecords()),
      { onEpoch: (e) => epochs.push(e.epoch) },
    );
    const evaluation = classification(result);
    expect(result.backend).toBe('wasm');
    expect(epochs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(evaluation.split).toBe('test');
    expect(evaluation.rows).toBe(30);
    expect(evaluation.baseline.accuracy).toBeCloseTo(1 / 3, 5);
    expect(evaluation.model.accuracy).toBeGreaterThan(evaluation.baseline.accuracy + 0.4);
    expect(evaluation.model.confusion.flat().reduce((a, b) => a + b, 0)).toBe(30);
    expect(result.preprocessing).toMatchObject({
      kind: 'table',
      classes: ['setosa', 'versicolor', 'virginica'],
      inputWidth: 4,
    });
    // The validation predictions are the model's softmax rows: 3 per validation row, each summing to 1.
    expect(result.validation.rows).toHaveLength(30);
    expect(result.validation.outputs).toHaveLength(90);
    const firstRow = [...result.validation.outputs.subarray(0, 3)];
    expect(firstRow.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('iris, two species: the binary preset (one sigmoid unit, binary cross-entropy)', async () => {
    const two = irisRecords().filter((r) => r.species !== 'setosa');
    const result = await train(
      {
        datasetId: 'iris-binary',
        target: 'species',
        model: { preset: 'mlp-64-32-1' },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 30,
        batchSize: 16,
        preprocessing: { split: { validation: 0.2, test: 0.3 } },
      },
      tableFrame(two),
    );
    const evaluation = classification(result);
    expect(result.loss).toBe('binaryCrossentropy');
    expect(result.model.outputUnits).toBe(1);
    expect(result.validation.outputs).toHaveLength(result.validation.rows.length);
    expect(evaluation.baseline.accuracy).toBeCloseTo(0.5, 5);
    expect(evaluation.model.accuracy).toBeGreaterThan(0.8);
  });

  it('cars: drop missing, log1p and standardize; the regression explains MPG far better than the mean', async () => {
    const cars = vegaDataset('cars.json');
    expect(cars).toHaveLength(406);
    const result = await train(
      {
        datasetId: 'cars',
        target: 'Miles_per_Gallon',
        // Year is a date string ("1970-01-01"): one-hot, like Origin.
        features: [
          'Cylinders',
          'Displacement',
          'Horsepower',
          'Weight_in_lbs',
          'Acceleration',
          'Year',
          'Origin',
        ],
        preprocessing: {
          missing: { default: 'drop' },
          log1p: ['Displacement', 'Horsepower', 'Weight_in_lbs'],
          standardize: true,
          split: { validation: 0.2, test: 0.2 },
        },
        model: {
          layers: [
            { type: 'dense', units: 32, activation: 'relu' },
            { type: 'dense', units: 1 },
          ],
        },
        optimizer: { type: 'adam', learningRate: 0.05 },
        epochs: 40,
        batchSize: 32,
      },
      tableFrame(cars),
    );
    const evaluation = result.evaluation;
    if (evaluation.task !== 'regression') throw new Error('expected regression');
    // 406 rows, 14 of them miss the target or Horsepower.
    expect(result.preprocessing.kind === 'table' && result.preprocessing.task).toBe('regression');
    const kept = result.validation.rows.length + evaluation.rows;
    expect(kept).toBeLessThan(392);
    expect(evaluation.model.r2).toBeGreaterThan(0.6);
    expect(evaluation.model.rmse).toBeLessThan(evaluation.baseline.rmse);
    expect(evaluation.model.mae).toBeLessThan(evaluation.baseline.mae);
    if (result.preprocessing.kind !== 'table') throw new Error('expected a table state');
    const horsepower = result.preprocessing.features.find((f) => f.column === 'Horsepower');
    expect(horsepower).toMatchObject({ kind: 'number', log1p: true, fill: null });
    const origin = result.preprocessing.features.find((f) => f.column === 'Origin');
    expect(origin).toMatchObject({ kind: 'one_hot', categories: ['Europe', 'Japan', 'USA'] });
  });

  it('penguins: one-hot string columns, imputed gaps, three species', async () => {
    const result = await train(
      {
        datasetId: 'penguins',
        target: 'Species',
        preprocessing: { missing: { default: 'median', columns: { Sex: 'most_frequent' } } },
        model: { preset: 'mlp-64-64-10' },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 15,
      },
      tableFrame(vegaDataset('penguins.json')),
    );
    const evaluation = classification(result);
    expect(evaluation.model.accuracy).toBeGreaterThan(evaluation.baseline.accuracy + 0.3);
    expect(evaluation.model.macroF1).toBeGreaterThan(evaluation.baseline.macroF1);
    if (result.preprocessing.kind !== 'table') throw new Error('expected a table state');
    expect(result.preprocessing.features.map((f) => [f.column, f.kind])).toEqual([
      ['Island', 'one_hot'],
      ['Beak Length (mm)', 'number'],
      ['Beak Depth (mm)', 'number'],
      ['Flipper Length (mm)', 'number'],
      ['Body Mass (g)', 'number'],
      ['Sex', 'one_hot'],
    ]);
    const sex = result.preprocessing.features.find((f) => f.column === 'Sex');
    expect(sex).toMatchObject({ fill: 'MALE' });
    // 3 islands + 4 numbers + sex categories seen in training.
    expect(result.preprocessing.inputWidth).toBe(
      3 + 4 + (sex?.kind === 'one_hot' ? sex.categories.length : 0),
    );
  });
});
