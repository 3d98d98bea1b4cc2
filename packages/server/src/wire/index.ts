export type {
  ChatMessage,
  EmbedRequest,
  EmbedResponse,
  FinishReason,
  GenerationEvent,
  GenerationRequest,
  LlmInfo,
  LlmLoadOptions,
  LlmStats,
  LoadedLlm,
  ResponseFormat,
  SamplingOptions,
  TokenLogprob,
  ToolCall,
  ToolChoice,
  ToolSpec,
} from './generation.js';
export type { LabelScore, PredictRequest, PredictResponse, TaskName } from './predict.js';
export {
  type Datatype,
  datatypes,
  type InferRequest,
  type InferResponse,
  type ModelInfo,
  type Tensor,
  type TensorData,
  type TensorSpec,
} from './tensor.js';
export { type NumericArray, numericArrayClass } from './tensor-arrays.js';
export { outputNamed, tensorValues } from './tensor-values.js';
