export { loadTrainedModel } from './model/model-artifacts.js';
export {
  applyImagePreprocessing,
  applyPreprocessing,
  type RawRow,
} from './preprocess/apply-preprocessing.js';
export { type TrainingBackend, useTrainingBackend } from './tf/tf-backend.js';
export { type TrainOptions, train } from './train.js';
