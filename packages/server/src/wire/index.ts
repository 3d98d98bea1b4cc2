export type {
  ChatMessage,
  EmbedRequest,
  EmbedResponse,
  FinishReason,
  GenerationEvent,
  GenerationRequest,
  LlmInfo,
  ResponseFormat,
  RunnerStats,
  SamplingOptions,
  TokenLogprob,
  ToolCall,
  ToolChoice,
  ToolSpec,
} from './generation.js';
export type { LabelScore, PredictRequest, PredictResponse, TaskName } from './predict.js';
export type { RunnerInfo, TaskInfo } from './runner-info.js';
export {
  isTaskIn,
  type OnnxPipelineTask,
  onnxPipelineTasks,
  type PredictTask,
  predictTasks,
  type TransformersTask,
  transformersTasks,
} from './task-names.js';
export {
  type Datatype,
  type DeclaredDatatype,
  datatypes,
  declaredDatatypes,
  type InferRequest,
  type InferResponse,
  type ModelInfo,
  type Tensor,
  type TensorData,
  type TensorSpec,
} from './tensor.js';
export { type NumericArray, numericArrayClass } from './tensor-arrays.js';
export { outputNamed, tensorValues } from './tensor-values.js';
