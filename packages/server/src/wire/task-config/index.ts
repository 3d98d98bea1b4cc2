export { pickTensor, taskConfigError } from './config-error.js';
export { type ChannelOrder, type ImageTaskConfig, resolveImageConfig } from './image-config.js';
export {
  encodedWidth,
  type PreprocessedColumn,
  type RowPreprocessing,
  rowPreprocessingSchema,
  type TargetTransform,
  targetTransformSchema,
  untransformTarget,
} from './row-preprocessing.js';
export { resolveTabularConfig, type TabularTaskConfig } from './tabular-config.js';
export {
  checkDtypeFiles,
  describeOnnxFiles,
  dtypeFileSuffix,
  dtypeOfOnnxFile,
  resolveTransformersConfig,
  type TransformersDtype,
  type TransformersTaskConfig,
  transformersDtypes,
} from './transformers-config.js';
