export { type IrisDemo, type IrisDemoConfig, shortLabel, trainIrisDemo } from './iris-demo.js';
export {
  createTrainingJobs,
  type TrainingJobs,
  type TrainingJobsDeps,
  type TrainingSettings,
} from './jobs/create-training-jobs.js';
export type {
  DatasetShape,
  DatasetSource,
  DeployOutcome,
  LocatedDataset,
  TrainedVersionDeployer,
} from './jobs/job-ports.js';
export { type TrainingRoutesOptions, trainingRoutes } from './jobs/job-routes.js';
export type { TrainingJobService } from './jobs/job-service.js';
export { launchTraining } from './jobs/launch-training.js';
export type { WorkerLauncher } from './jobs/worker-port.js';
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
