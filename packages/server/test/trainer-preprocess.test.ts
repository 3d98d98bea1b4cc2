import { trainingSpecSchema } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { classificationScores } from '../src/trainer/evaluate/classification-scores.js';
import { regressionScores } from '../src/trainer/evaluate/regression-scores.js';
import { applyPreprocessing } from '../src/trainer/index.js';
import { prepareTable } from '../src/trainer/preprocess/prepare-table.js';
import { splitRows } from '../src/trainer/preprocess/split-rows.js';
import type { TablePreprocessingState } from '../src/wire/training/index.js';
import { tableFrame } from './support/table-frame.js';

/** The pure parts: preprocessing arithmetic, the split, the scores. */
const spec = (fields: Record<string, unknown>) => trainingSpecSchema.parse({ datasetId: 'd', ...fields });

describe('preprocessing', () => {
  const records = [
    { size: 1, colour: 'red', price: 10, label: 'a' },
    { size: 3, colour: 'blue', price: null, label: 'b' },
    { size: null, colour: 'red', price: 30, label: 'a' },
    { size: 7, colour: null, price: 50, label: 'b' },
    { size: 9, colour: 'green', price: 70, label: 'a' },
  ];

  it('fits on the training split only and applies the same arithmetic through applyPreprocessing', () => {
    const data = prepareTable(
      spec({
        target: 'label',
        preprocessing: {
          missing: { default: 'mean', columns: { colour: { constant: 'none' } } },
          log1p: ['price'],
          split: { validation: 0, test: 0 },
        },
      }),
      tableFrame(records),
    );
    const state = data.state as TablePreprocessingState;
    expect(state.classes).toEqual(['a', 'b']);
    expect([...data.targets]).toEqual([0, 1, 0, 1, 0]);
    const size = state.features.find((f) => f.column === 'size');
    // Mean of the present sizes fills the gap, then the filled column is standardized.
    expect(size).toMatchObject({ kind: 'number', fill: 5, log1p: false });
    const filled = [1, 3, 5, 7, 9];
    const mean = filled.reduce((a, b) => a + b, 0) / 5;
    const std = Math.sqrt(filled.reduce((a, v) => a + (v - mean) ** 2, 0) / 5);
    expect(size?.kind === 'number' && [size.mean, size.std]).toEqual([mean, std]);
    expect(state.features.find((f) => f.column === 'colour')).toMatchObject({
      kind: 'one_hot',
      fill: 'none',
      categories: ['blue', 'green', 'none', 'red'],
    });
    // The state is plain data: through JSON it gives the same inputs.
    const roundTrip = JSON.parse(JSON.stringify(state)) as TablePreprocessingState;
    const rows = records.map(({ label: _label, ...rest }) => rest);
    expect([...applyPreprocessing(roundTrip, rows)]).toEqual([...data.inputs]);
  });

  it('sets no slot for an unknown category and refuses a missing value it has no fill for', () => {
    const state: TablePreprocessingState = {
      version: 1,
      kind: 'table',
      task: 'classification',
      classes: ['a', 'b'],
      target: 'label',
      inputWidth: 3,
      features: [
        { kind: 'number', column: 'x', fill: null, log1p: true, mean: 1, std: 2 },
        { kind: 'one_hot', column: 'c', fill: null, categories: ['p', 'q'] },
      ],
    };
    expect([
      ...applyPreprocessing(state, [
        { x: Math.E - 1, c: 'q' },
        { x: 0, c: 'zzz' },
      ]),
    ]).toEqual([0, 0, 1, -0.5, 0, 0]);
    expect(() => applyPreprocessing(state, [{ x: 1, c: 'p' }, { c: 'p' }])).toThrow(
      /Column "x", row 2: the value is missing/,
    );
  });
});

describe('split', () => {
  it('is seeded and keeps each class’s share in every split', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    const a = splitRows(100, { validation: 0.2, test: 0.1 }, 5, labels);
    expect(splitRows(100, { validation: 0.2, test: 0.1 }, 5, labels)).toEqual(a);
    expect(splitRows(100, { validation: 0.2, test: 0.1 }, 6, labels)).not.toEqual(a);
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([70, 20, 10]);
    expect(a.validation.filter((r) => labels[r] === 1)).toHaveLength(4);
    expect(a.test.filter((r) => labels[r] === 1)).toHaveLength(2);
    expect(new Set([...a.train, ...a.validation, ...a.test]).size).toBe(100);
  });
});

describe('scores', () => {
  it('classification: per class, macro and the confusion matrix', () => {
    const s = classificationScores([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0], ['x', 'y', 'z']);
    expect(s.accuracy).toBeCloseTo(4 / 6);
    expect(s.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    expect(s.perClass.map((c) => [c.precision, c.recall, c.support])).toEqual([
      [0.5, 0.5, 2],
      [2 / 3, 1, 2],
      [1, 0.5, 2],
    ]);
    expect(s.macroF1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3);
  });

  it('regression: MAE, RMSE, R²', () => {
    const s = regressionScores([1, 2, 3, 4], [1, 2, 3, 6]);
    expect(s.mae).toBe(0.5);
    expect(s.rmse).toBe(1);
    expect(s.r2).toBeCloseTo(1 - 4 / 5);
    expect(regressionScores([2, 2], [2, 2]).r2).toBe(1);
  });
});
