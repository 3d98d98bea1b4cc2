import { mulberry32 } from './seeded-random.js';
import { fitStandardisation, type Standardisation, standardise } from './standard-scaler.js';

export interface TrainOptions {
  /** Number of classes; defaults to the largest label + 1. */
  classes?: number;
  epochs?: number;
  learningRate?: number;
  /** L2 penalty on the weights (not the bias). */
  l2?: number;
  /** Seed of the initial weights. */
  seed?: number;
}

/** Linear scores `x · weights + bias` followed by softmax, over raw (unstandardised) features. */
export interface LinearClassifier {
  features: number;
  classes: number;
  /** Row-major features × classes, the layout Gemm takes as B. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface SoftmaxModel extends LinearClassifier {
  /** Statistics of the training split, already folded into weights and bias. */
  standardisation: Standardisation;
  /** Regularised cross-entropy at the last epoch. */
  loss: number;
  epochs: number;
}

const DEFAULTS = { epochs: 1000, learningRate: 0.5, l2: 1e-3, seed: 42 };

/**
 * Multinomial logistic regression by full-batch gradient descent on standardised features.
 * Every step is plain arithmetic in a fixed order, so equal inputs give bit-identical weights.
 */
export function train(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: TrainOptions = {},
): SoftmaxModel {
  const features = x[0]?.length ?? 0;
  const classes = options.classes ?? Math.max(...y) + 1;
  validate(x, y, features, classes);
  const epochs = options.epochs ?? DEFAULTS.epochs;
  const learningRate = options.learningRate ?? DEFAULTS.learningRate;
  const l2 = options.l2 ?? DEFAULTS.l2;
  const standardisation = fitStandardisation(x);
  const z = standardise(x, standardisation);
  const random = mulberry32(options.seed ?? DEFAULTS.seed);
  const w = Float64Array.from({ length: features * classes }, () => (random() - 0.5) * 0.02);
  const b = new Float64Array(classes);
  let loss = Number.NaN;
  for (let epoch = 0; epoch < epochs; epoch++) loss = gradientStep(z, y, w, b, { learningRate, l2 });
  return { ...fold(w, b, standardisation, classes), standardisation, loss, epochs };
}

/** Class probabilities for each row, computed from the exported float32 parameters. */
export function predictProba(model: LinearClassifier, x: readonly (readonly number[])[]): number[][] {
  return x.map((row) => {
    if (row.length !== model.features)
      throw new Error(`expected ${model.features} features, got ${row.length}`);
    return softmax(scores(row, model.weights, model.bias, model.classes));
  });
}

/** Most probable class of each row. */
export function predict(model: LinearClassifier, x: readonly (readonly number[])[]): number[] {
  return predictProba(model, x).map(argmax);
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, v) => a + v, 0);
  return exps.map((v) => v / sum);
}

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}

function scores(
  row: readonly number[],
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  classes: number,
): number[] {
  const out = Array.from({ length: classes }, (_, c) => b[c] ?? 0);
  for (const [f, v] of row.entries()) {
    for (let c = 0; c < classes; c++) out[c] = (out[c] ?? 0) + v * (w[f * classes + c] ?? 0);
  }
  return out;
}

/** One descent step on mean cross-entropy + l2/2·|w|²; updates w and b in place, returns the loss. */
function gradientStep(
  z: readonly number[][],
  y: readonly number[],
  w: Float64Array,
  b: Float64Array,
  step: { learningRate: number; l2: number },
): number {
  const classes = b.length;
  const gw = new Float64Array(w.length);
  const gb = new Float64Array(classes);
  let loss = 0;
  for (const [i, row] of z.entries()) {
    const p = softmax(scores(row, w, b, classes));
    const label = y[i] ?? 0;
    loss -= Math.log(Math.max(p[label] ?? 0, 1e-300)) / z.length;
    for (let c = 0; c < classes; c++) {
      const err = ((p[c] ?? 0) - (c === label ? 1 : 0)) / z.length;
      gb[c] = (gb[c] ?? 0) + err;
      for (const [f, v] of row.entries()) gw[f * classes + c] = (gw[f * classes + c] ?? 0) + err * v;
    }
  }
  for (let k = 0; k < w.length; k++) {
    const wk = w[k] ?? 0;
    loss += (step.l2 / 2) * wk * wk;
    w[k] = wk - step.learningRate * ((gw[k] ?? 0) + step.l2 * wk);
  }
  for (let c = 0; c < classes; c++) b[c] = (b[c] ?? 0) - step.learningRate * (gb[c] ?? 0);
  return loss;
}

/**
 * Rewrites w·((x − mean)/std) + b as (w/std)·x + (b − Σ w·mean/std), so the exported graph takes raw
 * features and needs no separate scaling node.
 */
function fold(w: Float64Array, b: Float64Array, s: Standardisation, classes: number): LinearClassifier {
  const features = s.mean.length;
  const weights = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  for (let c = 0; c < classes; c++) {
    let shift = 0;
    for (let f = 0; f < features; f++) {
      const scaled = (w[f * classes + c] ?? 0) / (s.std[f] ?? 1);
      weights[f * classes + c] = scaled;
      shift += scaled * (s.mean[f] ?? 0);
    }
    bias[c] = (b[c] ?? 0) - shift;
  }
  return { features, classes, weights, bias };
}

function validate(
  x: readonly (readonly number[])[],
  y: readonly number[],
  features: number,
  classes: number,
): void {
  if (x.length === 0 || features === 0) throw new Error('cannot train on an empty dataset');
  if (x.length !== y.length) throw new Error(`x has ${x.length} rows but y has ${y.length}`);
  if (x.some((row) => row.length !== features || row.some((v) => !Number.isFinite(v)))) {
    throw new Error(`every row needs ${features} finite features`);
  }
  if (y.some((label) => !Number.isInteger(label) || label < 0 || label >= classes)) {
    throw new Error(`labels must be integers in [0, ${classes})`);
  }
}
