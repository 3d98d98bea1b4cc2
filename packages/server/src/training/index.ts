export { type IrisDemo, type IrisDemoConfig, shortLabel, trainIrisDemo } from './iris-demo.js';
export { mulberry32, shuffled } from './seeded-random.js';
export {
  argmax,
  type LinearClassifier,
  predict,
  predictProba,
  type SoftmaxModel,
  softmax,
  type TrainOptions,
  train,
} from './softmax-regression.js';
export { fitStandardisation, type Standardisation, standardise } from './standard-scaler.js';
export {
  type Split,
  type SplitOptions,
  stratifiedSplit,
  stratifiedSplit as split,
} from './train-test-split.js';
