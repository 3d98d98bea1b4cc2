export { type DatasetFrameReader, loadDatasetFrame } from './dataset-source.js';
export { loadTrainedModel } from './model/model-artifacts.js';
export {
  applyImagePreprocessing,
  applyPreprocessing,
  type RawRow,
} from './preprocess/apply-preprocessing.js';
export { failureOf, runTrainerJob } from './run-trainer-job.js';
export { type TrainingBackend, useTrainingBackend } from './tf/tf-backend.js';
export { type TrainOptions, train } from './train.js';
export type { WorkerChannel } from './worker-channel.js';
