export type {
  FeatureState,
  ImagePreprocessingState,
  NumericFeatureState,
  OneHotFeatureState,
  PreprocessingState,
  TablePreprocessingState,
} from './preprocessing-state.js';
export type {
  DatasetSource,
  TrainerCommand,
  TrainerFailure,
  TrainerMessage,
  TrainerWorkerInput,
} from './trainer-messages.js';
export type {
  ClassificationScores,
  ClassScores,
  Evaluation,
  HeldOutSplit,
  RegressionScores,
  StopReason,
  TrainedModelArtifacts,
  TrainingEpoch,
  TrainingMetricName,
  TrainingResult,
  ValidationPredictions,
} from './training-result.js';
